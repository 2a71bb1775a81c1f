using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host.Vm
{
    // The shared zero page: read faults on fresh private anonymous memory map the one
    // zero frame read-only; a write gives the page a frame of its own; every VMA operation
    // and reclaim treat a zero PTE as holding no page. m.Check() runs the invariant
    // checker, whose I17 checks the zero frame and its PTEs.
    public class ZeroPageTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;

        static ulong ZeroPfn(TestMachine m) => m.Manager.ZeroPage.Pfn;

        static bool MapsZeroPage(TestMachine m, AddressSpace a, ulong address) =>
            m.Manager.ZeroPage.IsMappedBy(a.PageTable.Lookup(address));

        [Theory, AllDesigns]
        public void A_read_fault_maps_the_zero_frame_read_only_even_in_a_writable_vma(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0, m.Read(a, p + 2 * Page.Size + 5));
            Pte pte = a.PageTable.Lookup(p + 2 * Page.Size);
            Assert.True(pte.IsPresent);
            Assert.False(pte.IsWritable);
            Assert.Equal(ZeroPfn(m), pte.Frame);
            Assert.Equal(1UL, m.Manager.Stat.ZeroPageFault);
            Assert.Equal(0UL, m.Manager.Stat.DemandZeroFault);
            Assert.Equal(free - 3, m.Frames.FreeFrames);          // PDPT, PD, PT only
            PageFrame zero = m.Frames.Frame(ZeroPfn(m));
            Assert.Equal(0, zero.MapCount);
            Assert.Equal(1, zero.RefCount);
            Assert.Null(a.FindVma(p).AnonVma);                    // no anon_vma for a read
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_write_after_a_read_gives_the_page_a_fresh_zeroed_frame(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(0, m.Read(a, p));
            ulong free = m.Frames.FreeFrames;
            m.Write(a, p + 100, 7);
            Pte pte = a.PageTable.Lookup(p);
            Assert.True(pte.IsWritable);
            Assert.NotEqual(ZeroPfn(m), pte.Frame);
            Assert.Equal(free - 1, m.Frames.FreeFrames);
            Assert.Equal(7, m.Read(a, p + 100));
            Assert.Equal(0, m.Read(a, p + 99));
            Assert.Equal(1UL, m.Manager.Stat.ZeroPageCow);
            Assert.Equal(0UL, m.Manager.Stat.PgCowFault);
            PageFrame frame = m.Frames.Frame(pte.Frame);
            Assert.Equal(1, frame.MapCount);
            Assert.True((frame.Flags & PageFrameFlags.Lru) != 0);
            if (design == RmapDesign.AnonVmaChain)
                Assert.NotNull(a.FindVma(p).AnonVma);
            m.Check();                                            // rmap walk finds the new page
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Fork_copies_zero_ptes_as_they_are_and_each_side_writes_its_own_page(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 3);
            for (ulong i = 0; i < 3; i++)
                Assert.Equal(0, m.Read(parent, p + i * Page.Size));
            var child = m.Fork(parent);
            for (ulong i = 0; i < 3; i++)
                Assert.True(MapsZeroPage(m, child, p + i * Page.Size));
            Assert.Equal(0, m.Frames.Frame(ZeroPfn(m)).MapCount);
            m.Check();
            m.Write(child, p + Page.Size, 1);
            m.Write(parent, p + 2 * Page.Size, 2);
            Assert.Equal(0, m.Read(parent, p + Page.Size));
            Assert.Equal(1, m.Read(child, p + Page.Size));
            Assert.Equal(0, m.Read(child, p + 2 * Page.Size));
            Assert.True(MapsZeroPage(m, parent, p) && MapsZeroPage(m, child, p));
            m.Check();
            m.Exit(child);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mprotect_never_makes_a_zero_pte_writable(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2, Protection.Read);
            Assert.Equal(0, m.Read(a, p));
            Assert.Equal(0, a.Mprotect(p, 2 * Page.Size, ReadWrite));
            Assert.True(MapsZeroPage(m, a, p));
            Assert.False(a.PageTable.Lookup(p).IsWritable);
            Assert.Equal(0, a.Mprotect(p, 2 * Page.Size, Protection.None));
            Assert.True(a.PageTable.Lookup(p).IsProtNone);
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p, AccessKind.Read));
            Assert.Equal(0, a.Mprotect(p, 2 * Page.Size, ReadWrite));
            Assert.False(a.PageTable.Lookup(p).IsWritable);
            m.Check();
            m.Write(a, p, 3);
            Assert.False(MapsZeroPage(m, a, p));
            Assert.Equal(3, m.Read(a, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mremap_moves_a_zero_pte_with_its_range(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(0, m.Read(a, p));
            m.Write(a, p + Page.Size, 9);
            ulong q = m.MapAnonymous(a, 8);
            Assert.Equal((long)(q + 4 * Page.Size),
                         a.Mremap(p, 2 * Page.Size, 2 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, q + 4 * Page.Size));
            ulong moved = q + 4 * Page.Size;
            Assert.True(MapsZeroPage(m, a, moved));
            Assert.Equal(9, m.Read(a, moved + Page.Size));
            m.Check();
            m.Write(a, moved, 4);
            Assert.Equal(4, m.Read(a, moved));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Madvise_dontneed_drops_a_zero_pte_and_free_keeps_it(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(0, m.Read(a, p));
            Assert.Equal(0, m.Read(a, p + Page.Size));
            Assert.Equal(0, a.Madvise(p + Page.Size, Page.Size, (int)Advice.Free));
            Assert.True(MapsZeroPage(m, a, p + Page.Size));       // Linux: no page to free
            Assert.Equal(0, a.Madvise(p, 2 * Page.Size, (int)Advice.DontNeed));
            Assert.True(a.PageTable.Lookup(p).IsNone);
            Assert.True(a.PageTable.Lookup(p + Page.Size).IsNone);
            m.Check();
            Assert.Equal(0, m.Read(a, p));
            Assert.True(MapsZeroPage(m, a, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Reclaim_never_takes_the_zero_page(RmapDesign design)
        {
            using var m = new TestMachine(48, swapPages: 256, rmap: design);
            m.AllowOvercommit();
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 96);
            for (ulong i = 0; i < 96; i += 2)
                Assert.Equal(0, m.Read(a, p + i * Page.Size));
            for (ulong i = 1; i < 96; i += 2)
                m.Write(a, p + i * Page.Size, (byte)i);           // more than RAM: swaps
            Assert.True(m.Manager.Stat.PswpOut > 0);
            m.Manager.Reclaimer.Reclaim(64);
            m.Check();
            for (ulong i = 0; i < 96; i += 2)
                Assert.True(MapsZeroPage(m, a, p + i * Page.Size));
            for (ulong i = 1; i < 96; i += 2)
                Assert.Equal((byte)i, m.Read(a, p + i * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Read_faults_add_nothing_to_the_resident_count()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 16);
            var badness = new OomBadness();
            for (ulong i = 0; i < 16; i++)
                m.Read(a, p + i * Page.Size);
            badness.Score(a);
            Assert.Equal(0UL, badness.Resident);
            m.Write(a, p, 1);
            m.Write(a, p + 5 * Page.Size, 1);
            badness.Score(a);
            Assert.Equal(2UL, badness.Resident);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Reading_64_mib_of_fresh_memory_takes_only_page_tables()
        {
            using var m = new TestMachine(128);
            m.AllowOvercommit();
            var a = m.NewSpace();
            const int pages = 64 << 20 >> Page.Shift;
            ulong p = m.MapAnonymous(a, pages);
            ulong free = m.Frames.FreeFrames;
            for (ulong i = 0; i < pages; i++)
                Assert.Equal(0, m.Read(a, p + i * Page.Size));
            // One PDPT, one PD and a PT per 2 MiB (the range may straddle one more).
            Assert.InRange(free - m.Frames.FreeFrames, 2UL + 32, 2UL + 33 + 2);
            Assert.Equal(free - m.Frames.FreeFrames + 1, m.Manager.Stat.PageTablePages);  // + the PML4
            Assert.Equal((ulong)pages, m.Manager.Stat.ZeroPageFault);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Turned_off_a_read_fault_allocates_a_frame_as_before()
        {
            using var m = new TestMachine(64);
            m.Manager.ZeroPage.Enabled = false;
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0, m.Read(a, p));
            Assert.False(MapsZeroPage(m, a, p));
            Assert.True(a.PageTable.Lookup(p).IsWritable);
            Assert.Equal(free - 4, m.Frames.FreeFrames);
            Assert.Equal(0UL, m.Manager.Stat.ZeroPageFault);
            Assert.Equal(1UL, m.Manager.Stat.DemandZeroFault);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Zero_ptes_made_while_on_still_work_after_it_is_turned_off()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(0, m.Read(a, p));
            m.Manager.ZeroPage.Enabled = false;
            var b = m.Fork(a);
            m.Write(b, p, 6);
            Assert.Equal(0, m.Read(a, p));
            Assert.True(MapsZeroPage(m, a, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Shared_anonymous_memory_never_maps_the_zero_page()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 2);
            Assert.Equal(0, m.Read(a, p));
            Assert.False(MapsZeroPage(m, a, p));
            Assert.Equal(0UL, m.Manager.Stat.ZeroPageFault);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public unsafe void The_kernel_reads_zeros_through_it_and_a_kernel_write_breaks_it()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            byte* buffer = stackalloc byte[16];
            for (int i = 0; i < 16; i++)
                buffer[i] = 0xEE;
            Assert.Equal(Errno.None, UserMemory.CopyFromUser(a, buffer, p + 8, 16));
            Assert.Equal(0, buffer[0]);
            Assert.True(MapsZeroPage(m, a, p));
            Assert.Equal(Errno.None, UserMemory.CopyToUser(a, p + 8, buffer + 15, 1));
            Assert.False(MapsZeroPage(m, a, p));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
