using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class MunmapTests
    {
        const Protection RW = Protection.Read | Protection.Write;
        const MapFlags FixedAnon = MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed;
        const ulong At = 0x4000_0000;

        [Theory, AllDesigns]
        public void Unmapping_the_middle_splits_the_vma_and_frees_the_pages_in_the_hole(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            a.Mmap(At, 8 * Page.Size, RW, FixedAnon);
            for (ulong i = 0; i < 8; i++)
                m.Write(a, At + i * Page.Size, (byte)(i + 1));
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0, a.Munmap(At + 2 * Page.Size, 3 * Page.Size));
            m.Check();
            Assert.Equal(free + 3, m.Frames.FreeFrames);
            Assert.Equal(2, a.Vmas.Count);
            Vma low = a.Vmas.First, high = a.Vmas.Last;
            Assert.Equal(At + 2 * Page.Size, low.End);
            Assert.Equal(At + 5 * Page.Size, high.Start);
            Assert.Equal(low.PgOff + 5, high.PgOff);
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, At + 3 * Page.Size, AccessKind.Read));
            Assert.Equal(2, m.Read(a, At + Page.Size));
            Assert.Equal(6, m.Read(a, At + 5 * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void One_munmap_can_cover_several_vmas_and_holes(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            a.Mmap(At, 2 * Page.Size, RW, FixedAnon);
            a.Mmap(At + 3 * Page.Size, 2 * Page.Size, Protection.Read, FixedAnon);
            a.Mmap(At + 6 * Page.Size, 2 * Page.Size, RW, FixedAnon);
            m.Write(a, At, 1);
            m.Write(a, At + 7 * Page.Size, 1);
            Assert.Equal(0, a.Munmap(At + Page.Size, 6 * Page.Size));
            m.Check();
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal(At + Page.Size, a.Vmas.First.End);
            Assert.Equal(At + 7 * Page.Size, a.Vmas.Last.Start);
            Assert.Equal(1, m.Read(a, At + 7 * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Bad_ranges_give_EINVAL_and_unmapping_a_hole_succeeds(RmapDesign design)
        {
            using var m = new TestMachine(16, rmap: design);
            var a = m.NewSpace();
            Assert.Equal(-(int)Errno.EINVAL, a.Munmap(At + 1, Page.Size));
            Assert.Equal(-(int)Errno.EINVAL, a.Munmap(At, 0));
            Assert.Equal(-(int)Errno.EINVAL, a.Munmap(0x7FFF_FFFF_F000, 2 * Page.Size));
            Assert.Equal(0, a.Munmap(At, 100 * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Munmap_in_the_child_leaves_the_parent_s_shared_pages_alone(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            parent.Mmap(At, 4 * Page.Size, RW, FixedAnon);
            for (ulong i = 0; i < 4; i++)
                m.Write(parent, At + i * Page.Size, 9);
            var child = m.Fork(parent);
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0, child.Munmap(At, 4 * Page.Size));
            m.Check();
            // Only the child's PDPT, PD and PT come back: the parent still holds every page.
            Assert.Equal(free + 3, m.Frames.FreeFrames);
            for (ulong i = 0; i < 4; i++)
                Assert.Equal(1, m.Frames.Frame(parent.PageTable.Lookup(At + i * Page.Size).Frame).MapCount);
            m.Write(parent, At, 10);                      // exclusive now: reused in place
            Assert.Equal(1UL, m.Manager.Stat.CowReuse);
            m.AssertNoLeaks();
        }
    
        [Theory, AllDesigns]
        public void Page_tables_left_empty_by_munmap_are_freed_and_shared_ones_kept(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            a.Mmap(At, 2 * Page.Size, RW, FixedAnon);
            a.Mmap(0x7000_0000_0000, Page.Size, RW, FixedAnon);
            m.Write(a, At, 1);
            m.Write(a, At + Page.Size, 1);
            m.Write(a, 0x7000_0000_0000, 1);
            Assert.Equal(7UL, m.Manager.Stat.PageTablePages);       // PML4 + 2 x (PDPT, PD, PT)
            Assert.Equal(0, a.Munmap(At, Page.Size));
            Assert.Equal(7UL, m.Manager.Stat.PageTablePages);       // the PT still maps At + 4 KiB
            Assert.Equal(0, a.Munmap(0x7000_0000_0000, Page.Size));
            Assert.Equal(4UL, m.Manager.Stat.PageTablePages);
            m.Check();
            Assert.Equal(1, m.Read(a, At + Page.Size));
            Assert.Equal(0, a.Munmap(At, 2 * Page.Size));
            Assert.Equal(1UL, m.Manager.Stat.PageTablePages);       // only the PML4
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, At + Page.Size, AccessKind.Read));
            m.Check();
            m.AssertNoLeaks();
        }
    
        [Theory, AllDesigns]
        public void Madvise_dontneed_drops_pages_but_keeps_the_mapping(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            a.Mmap(At, 4 * Page.Size, RW, FixedAnon);
            for (ulong i = 0; i < 4; i++)
                m.Write(a, At + i * Page.Size, 5);
            var child = m.Fork(a);
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0, a.Madvise(At + Page.Size, 2 * Page.Size, AddressSpace.MadviseDontNeed));
            Assert.Equal(free, m.Frames.FreeFrames);          // the child still holds those frames
            Assert.Equal(1, a.Vmas.Count);
            Assert.Equal(5, m.Read(a, At));
            Assert.Equal(0, m.Read(a, At + Page.Size));
            Assert.Equal(5, m.Read(child, At + Page.Size));
            m.Check();
            Assert.Equal(-(int)Errno.ENOMEM, a.Madvise(At + 3 * Page.Size, 2 * Page.Size, AddressSpace.MadviseDontNeed));
            Assert.Equal(0, m.Read(a, At + 3 * Page.Size));   // the mapped part was still dropped
            Assert.Equal(-(int)Errno.EINVAL, a.Madvise(At + 1, Page.Size, AddressSpace.MadviseDontNeed));
            Assert.Equal(-(int)Errno.EINVAL, a.Madvise(At, Page.Size, 99));
            Assert.Equal(0, a.Madvise(At, 0, AddressSpace.MadviseDontNeed));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
