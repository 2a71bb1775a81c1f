using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class MprotectTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;

        [Theory, AllDesigns]
        public void Mprotect_in_the_middle_splits_the_vma_and_restoring_merges_it_back(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            for (ulong i = 0; i < 4; i++)
                m.Write(a, p + i * Page.Size, (byte)(i + 1));
            m.Check();
            Assert.Equal(0, a.Mprotect(p + Page.Size, 2 * Page.Size, Protection.Read));
            m.Check();
            Assert.Equal(3, a.Vmas.Count);
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p + Page.Size, AccessKind.Write));
            Assert.Equal(2, m.Read(a, p + Page.Size));
            m.Write(a, p, 9);
            m.Write(a, p + 3 * Page.Size, 9);
            Assert.Equal(0, a.Mprotect(p + Page.Size, 2 * Page.Size, ReadWrite));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            Vma vma = a.FindVma(p);
            Assert.Equal(p, vma.Start);
            Assert.Equal(p + 4 * Page.Size, vma.End);
            m.Write(a, p + 2 * Page.Size, 7);
            Assert.Equal(7, m.Read(a, p + 2 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mprotect_splitting_a_region_shared_with_a_child_keeps_copy_on_write(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 4);
            for (ulong i = 0; i < 4; i++)
                m.Write(parent, p + i * Page.Size, (byte)(10 + i));
            var child = m.Fork(parent);
            m.Check();
            // The child makes its middle pages read-only, then writable again: the pages it
            // still shares with the parent must stay write-protected.
            Assert.Equal(0, child.Mprotect(p + Page.Size, 2 * Page.Size, Protection.Read));
            m.Check();
            Assert.Equal(3, child.Vmas.Count);
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(child, p + 2 * Page.Size, AccessKind.Write));
            Assert.Equal(12, m.Read(child, p + 2 * Page.Size));
            // The parent writes all four pages; the child still reads its old data.
            for (ulong i = 0; i < 4; i++)
            {
                m.Write(parent, p + i * Page.Size, (byte)(50 + i));
                m.Check();
            }
            for (ulong i = 0; i < 4; i++)
                Assert.Equal((byte)(10 + i), m.Read(child, p + i * Page.Size));
            // The parent now holds copies; the child's frames are exclusive and may become writable.
            Assert.Equal(0, parent.Mprotect(p, 4 * Page.Size, Protection.Read));
            Assert.Equal(0, parent.Mprotect(p, 4 * Page.Size, ReadWrite));
            Assert.Equal(0, child.Mprotect(p + Page.Size, 2 * Page.Size, ReadWrite));
            m.Check();
            Assert.Equal(1, child.Vmas.Count);
            m.Write(child, p + Page.Size, 77);
            Assert.Equal(51, m.Read(parent, p + Page.Size));
            Assert.Equal(77, m.Read(child, p + Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Making_a_shared_page_writable_leaves_it_write_protected_until_the_cow_fault(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1, Protection.Read);
            Assert.Equal(0, m.Read(parent, p));
            var child = m.Fork(parent);
            Assert.Equal(0, parent.Mprotect(p, Page.Size, ReadWrite));
            m.Check();
            Assert.False(parent.PageTable.Lookup(p).IsWritable);
            ulong shared = parent.PageTable.Lookup(p).Frame;
            m.Write(parent, p, 5);
            m.Check();
            Assert.NotEqual(shared, parent.PageTable.Lookup(p).Frame);
            Assert.Equal(0, m.Read(child, p));
            Assert.Equal(5, m.Read(parent, p));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void An_exclusively_owned_page_becomes_writable_at_once(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            m.Write(a, p, 5);
            Assert.Equal(0, a.Mprotect(p, Page.Size, Protection.Read));
            Assert.False(a.PageTable.Lookup(p).IsWritable);
            Assert.Equal(0, a.Mprotect(p, Page.Size, ReadWrite));
            Assert.True(a.PageTable.Lookup(p).IsWritable);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Prot_none_keeps_the_data_but_every_access_faults(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            m.Write(a, p, 42);
            ulong frame = a.PageTable.Lookup(p).Frame;
            Assert.Equal(0, a.Mprotect(p, Page.Size, Protection.None));
            m.Check();
            Assert.True(a.PageTable.Lookup(p).IsProtNone);
            Assert.Equal(frame, a.PageTable.Lookup(p).Frame);
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p, AccessKind.Read));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p, AccessKind.Write));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p, AccessKind.Fetch));
            m.Write(a, p + Page.Size, 1);
            Assert.Equal(0, a.Mprotect(p, Page.Size, Protection.Read | Protection.Exec));
            m.Check();
            Assert.Equal(42, m.Read(a, p));
            Assert.Equal(FaultResult.Handled, m.TryAccess(a, p, AccessKind.Fetch));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p, AccessKind.Write));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_downgrade_invalidates_the_tlb_entry_of_a_page_just_written(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            m.Write(a, p, 1);                        // TLB: writable
            Assert.Equal(0, a.Mprotect(p, Page.Size, Protection.Read));
            m.Check();                               // no stale writable TLB entry
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p, AccessKind.Write));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mprotect_errors_follow_linux(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 3);
            Assert.Equal(-(int)Errno.EINVAL, a.Mprotect(p + 1, Page.Size, Protection.Read));
            Assert.Equal(-(int)Errno.EINVAL, a.Mprotect(p, Page.Size, (Protection)0x10));
            Assert.Equal(0, a.Mprotect(p, 0, (Protection)0x10));                        // length 0 wins
            Assert.Equal(-(int)Errno.ENOMEM, a.Mprotect(p, ulong.MaxValue - 2 * Page.Size, (Protection)0x10));
            Assert.Equal(0, a.Mprotect(p, 0, Protection.Read));
            Assert.Equal(-(int)Errno.ENOMEM, a.Mprotect(p, ulong.MaxValue - Page.Size, Protection.Read));
            Assert.Equal(-(int)Errno.ENOMEM, a.Mprotect(p - Page.Size, 2 * Page.Size, Protection.Read));
            Assert.Equal(-(int)Errno.ENOMEM, a.Mprotect(0x7FFF_FFFF_F000, 2 * Page.Size, Protection.Read));
            Assert.Equal(-(int)Errno.ENOMEM, a.Mprotect(0xFFFF_8000_0000_0000, Page.Size, Protection.Read));
            Assert.Equal(0, a.Mprotect(p, Page.Size, Protection.Read | Protection.Write | (Protection)AddressSpace.ProtSem));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            // A hole in the middle: ENOMEM, and (as in Linux) the part before the hole is changed.
            Assert.Equal(0, a.Munmap(p + Page.Size, Page.Size));
            Assert.Equal(-(int)Errno.ENOMEM, a.Mprotect(p, 3 * Page.Size, Protection.Read));
            m.Check();
            Assert.Equal(Protection.Read, a.FindVma(p).Prot);
            Assert.Equal(Protection.Read | Protection.Write, a.FindVma(p + 2 * Page.Size).Prot);
            // Unaligned length is rounded up.
            Assert.Equal(0, a.Mprotect(p + 2 * Page.Size, 1, Protection.None));
            Assert.Equal(Protection.None, a.FindVma(p + 2 * Page.Size).Prot);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mprotect_across_several_vmas_joins_them_into_one(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 6);
            Assert.Equal(0, a.Mprotect(p + Page.Size, Page.Size, Protection.Read));
            Assert.Equal(0, a.Mprotect(p + 3 * Page.Size, Page.Size, Protection.None));
            Assert.Equal(5, a.Vmas.Count);
            m.Check();
            Assert.Equal(0, a.Mprotect(p, 6 * Page.Size, Protection.Read));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            m.AssertNoLeaks();
        }

        // vm.max_map_count as Linux applies it: splits fail with ENOMEM once the space
        // holds MaxMapCount VMAs, a new mapping once it holds more; changes that need no
        // new VMA (joining a neighbour, unmapping a whole VMA) still work.
        [Theory, AllDesigns]
        public void The_map_count_limit_refuses_splits_and_mappings_as_linux_does(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            const ulong Base = 0x1000_0000;
            int pages = AddressSpace.MaxMapCount + 8;
            // MAP_NORESERVE: 256 MiB on a 64-frame machine, which the overcommit heuristic refuses.
            Assert.Equal((long)Base, a.Mmap(Base, (ulong)pages * Page.Size, ReadWrite,
                                            MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed | MapFlags.NoReserve));
            // Every other page read-only: one more VMA per call, until the limit.
            int calls = 0;
            int result = 0;
            for (int i = 1; i < pages - 1 && result == 0; i += 2, calls++)
                result = a.Mprotect(Base + (ulong)i * Page.Size, Page.Size, Protection.Read);
            Assert.Equal(-(int)Errno.ENOMEM, result);
            Assert.Equal(AddressSpace.MaxMapCount, a.Vmas.Count);
            // At the limit: a middle split fails, joining a neighbour does not.
            ulong last = a.Vmas.Last.Start;
            Assert.Equal(-(int)Errno.ENOMEM, a.Munmap(last + Page.Size, Page.Size));
            Assert.Equal(0, a.Mprotect(Base, Page.Size, Protection.Read));
            Assert.Equal(AddressSpace.MaxMapCount - 1, a.Vmas.Count);
            // mmap checks "more than the limit", so the mapping that reaches the limit and
            // one more fit, then no more.
            Assert.True(a.Mmap(0, Page.Size, Protection.Read, MapFlags.Private | MapFlags.Anonymous) > 0);
            Assert.True(a.Mmap(0, Page.Size, Protection.Read | Protection.Exec, MapFlags.Private | MapFlags.Anonymous) > 0);
            Assert.Equal(AddressSpace.MaxMapCount + 1, a.Vmas.Count);
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Page.Size, Protection.Read, MapFlags.Private | MapFlags.Anonymous));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(last, Page.Size, Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, 0x7000_0000_0000));
            // Unmapping whole VMAs always works and makes room again.
            Assert.Equal(0, a.Munmap(Base, 64 * Page.Size));
            Assert.True(a.Vmas.Count < AddressSpace.MaxMapCount - 8);
            Assert.Equal(0, a.Mprotect(last + Page.Size, Page.Size, Protection.Read | Protection.Exec));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
