using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // The page-table layer driven directly (no VMAs), observed through the SoftMmu.
    public class PageTableTests
    {
        const ulong Va = 0x0000_1234_5678_9000UL;

        // Maps a fresh frame at `va` directly in the table, with counts as a fault would set them.
        static ulong MapFrame(TestMachine m, AddressSpace space, ulong va, ulong flags)
        {
            ulong pfn = m.Frames.AllocFrame();
            m.Frames.Frame(pfn).Flags |= PageFrameFlags.Anonymous;
            m.Frames.Frame(pfn).MapCount = 1;
            m.Ram.ZeroFrame(pfn);
            ulong pte = space.PageTable.EnsurePte(va);
            space.PageTable.Replace(pte, va, Pte.Map(pfn, flags | Pte.User));
            return pfn;
        }

        // Raw vm teardown of the one page MapFrame made (the test owns no VMA).
        static void UnmapFrame(TestMachine m, AddressSpace space, ulong va)
        {
            ulong pte = space.PageTable.FindPte(va);
            ulong pfn = space.PageTable.Read(pte).Frame;
            space.PageTable.Replace(pte, va, Pte.NoneEntry);
            m.Frames.Frame(pfn).MapCount = 0;
            m.Frames.Put(pfn);
        }

        [Fact]
        public void Index_split_follows_the_x86_64_4_level_layout()
        {
            Assert.Equal(0x24, PageTable.IndexAt(Va, 3));
            Assert.Equal(0xD1, PageTable.IndexAt(Va, 2));
            Assert.Equal(0x0B3, PageTable.IndexAt(Va, 1));
            Assert.Equal(0x189, PageTable.IndexAt(Va, 0));
        }

        [Fact]
        public void A_mapping_is_translated_by_the_soft_mmu_which_sets_accessed_and_dirty()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            ulong pfn = MapFrame(m, space, Va, Pte.Writable);
            Assert.Equal(4UL, m.Manager.Stat.PageTablePages);   // PML4 + PDPT + PD + PT
            m.Mmu.Enter(space);
            m.Mmu.WriteByte(Va + 5, 0xAB);
            unsafe { Assert.Equal(0xAB, m.Ram.Pointer(Page.FrameToAddress(pfn) + 5, 1)[0]); }
            Pte leaf = space.PageTable.Lookup(Va);
            Assert.True(leaf.IsAccessed);
            Assert.True(leaf.IsDirty);
            Assert.Empty(m.Mmu.FaultErrorCodes);
            UnmapFrame(m, space, Va);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_read_sets_accessed_but_not_dirty()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            MapFrame(m, space, Va, Pte.Writable);
            m.Mmu.Enter(space);
            Assert.Equal(0, m.Mmu.ReadByte(Va));
            Assert.True(space.PageTable.Lookup(Va).IsAccessed);
            Assert.False(space.PageTable.Lookup(Va).IsDirty);
            UnmapFrame(m, space, Va);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Write_to_a_read_only_entry_faults_with_present_write_user_bits()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            MapFrame(m, space, Va, 0);
            // No VMA covers Va, so the MM answers SegvMapErr; the error code is what we test.
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(space, Va, AccessKind.Write));
            Assert.Equal(FaultErrorCode.Present | FaultErrorCode.Write | FaultErrorCode.User, m.Mmu.FaultErrorCodes[0]);
            UnmapFrame(m, space, Va);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Fetch_from_a_no_execute_entry_faults_with_the_instruction_bit()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            MapFrame(m, space, Va, Pte.NoExecute);
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(space, Va, AccessKind.Fetch));
            Assert.Equal(FaultErrorCode.Present | FaultErrorCode.InstructionFetch | FaultErrorCode.User, m.Mmu.FaultErrorCodes[0]);
            Assert.Equal(FaultResult.Handled, m.TryAccess(space, Va, AccessKind.Read));
            UnmapFrame(m, space, Va);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Access_to_a_missing_table_faults_without_the_present_bit()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(space, Va, AccessKind.Read));
            Assert.Equal(FaultErrorCode.User, m.Mmu.FaultErrorCodes[0]);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_supervisor_only_entry_faults_for_user_access()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            ulong pfn = MapFrame(m, space, Va, Pte.Writable);
            ulong pte = space.PageTable.FindPte(Va);
            space.PageTable.Replace(pte, Va, space.PageTable.Read(pte).Without(Pte.User));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(space, Va, AccessKind.Read));
            Assert.Equal(FaultErrorCode.Present | FaultErrorCode.User, m.Mmu.FaultErrorCodes[0]);
            UnmapFrame(m, space, Va);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Unmapping_through_Replace_invalidates_the_cached_translation()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            MapFrame(m, space, Va, Pte.Writable);
            m.Write(space, Va, 1);
            Assert.Equal(1, m.Mmu.TlbEntryCount);
            UnmapFrame(m, space, Va);
            Assert.Equal(0, m.Mmu.TlbEntryCount);
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(space, Va, AccessKind.Read));
            m.AssertNoLeaks();
        }


        [Fact]
        public void A_missed_tlb_invalidation_leaves_a_stale_translation_that_tests_catch()
        {
            using var m = new TestMachine(64, real => new DroppingTlb(real));
            var space = m.NewSpace();
            ulong first = MapFrame(m, space, Va, Pte.Writable);
            m.Write(space, Va, 0x11);
            // Remap Va to another frame without a working invalidation.
            ulong pte = space.PageTable.FindPte(Va);
            ulong second = m.Frames.AllocFrame();
            m.Ram.ZeroFrame(second);
            m.Frames.Frame(second).Flags |= PageFrameFlags.Anonymous;
            m.Frames.Frame(second).MapCount = 1;
            space.PageTable.Replace(pte, Va, Pte.Map(second, Pte.Writable | Pte.User));
            m.Frames.Frame(first).MapCount = 0;
            // The stale entry still points at the old frame: the CPU would read 0x11 ...
            Assert.Equal(0x11, m.Read(space, Va));
            // ... and the checker names it.
            Assert.Single(m.Mmu.StaleEntries());
            Assert.Throws<InvariantViolation>(() => m.Check());
            m.Frames.Put(first);
            m.Mmu.Tlb.FlushAll(space.PageTable.Root);
            Assert.Equal(0, m.Read(space, Va));
            UnmapFrame(m, space, Va);
            m.Mmu.Tlb.FlushAll(space.PageTable.Root);
            m.AssertNoLeaks();
        }

        // Collects the visited addresses.
        sealed class AddressCollector : PteVisitor
        {
            public readonly System.Collections.Generic.List<ulong> Seen = new System.Collections.Generic.List<ulong>();
            public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte) { Seen.Add(virtualAddress); }
        }

        [Fact]
        public void Walk_visits_only_populated_entries_in_the_range_in_address_order()
        {
            using var m = new TestMachine(64);
            var space = m.NewSpace();
            ulong[] addresses = { 0x40_0000, 0x40_1000, 0x7F_FFFF_F000, 0x80_0000_0000 };
            foreach (ulong a in addresses)
                MapFrame(m, space, a, Pte.Writable);
            var collector = new AddressCollector();
            space.PageTable.Walk(0x40_1000, 0x80_0000_1000, collector);
            Assert.Equal(new ulong[] { 0x40_1000, 0x7F_FFFF_F000, 0x80_0000_0000 }, collector.Seen);
            foreach (ulong a in addresses)
                UnmapFrame(m, space, a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Destroy_with_a_leaf_still_mapped_panics()
        {
            using var m = new TestMachine(64);
            var space = AddressSpace.Create(m.Manager);
            MapFrame(m, space, Va, Pte.Writable);
            Assert.Throws<MmPanicException>(() => space.PageTable.Destroy());
            m.Spaces.Add(space);   // still live (the destroy panicked before freeing anything)
            UnmapFrame(m, space, Va);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Kernel_half_entries_are_copied_into_every_new_table_and_not_freed()
        {
            HostPanicHandler.Install();
            using var ram = new HostPhysicalMemory(65 * Page.Size);
            var map = new MemoryMap();
            map.Add(Page.Size, 64 * Page.Size);
            var frames = new FrameAllocator(map);
            var mmu = new SoftMmu(ram);
            var kernelHalf = new ulong[256];
            kernelHalf[511 - 256] = 0x0000_0000_0010_0003UL;   // a "kernel PDPT" entry
            var manager = new MemoryManager(ram, frames, mmu.Tlb, mmu.Switcher, kernelHalf);
            var table = PageTable.Create(manager);
            Assert.Equal(0x0000_0000_0010_0003UL, ram.ReadU64(table.Root + 511 * 8));
            table.Destroy();
            Assert.Equal(63UL, frames.FreeFrames);     // all but the zero page
        }
    }
}
