using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class MremapTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;

        static ulong Fixed(AddressSpace a, ulong address, int pages)
        {
            long r = a.Mmap(address, (ulong)pages * Page.Size, ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            Assert.Equal((long)address, r);
            return address;
        }

        [Theory, AllDesigns]
        public void Shrink_in_place_frees_the_tail_pages(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            for (ulong i = 0; i < 4; i++)
                m.Write(a, p + i * Page.Size, (byte)(i + 1));
            ulong free = m.Frames.FreeFrames;
            Assert.Equal((long)p, a.Mremap(p, 4 * Page.Size, Page.Size, RemapFlags.None, 0));
            m.Check();
            Assert.Equal(free + 3, m.Frames.FreeFrames);
            Assert.Equal(1, m.Read(a, p));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, p + Page.Size, AccessKind.Read));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Grow_in_place_keeps_the_data_and_the_new_part_reads_zero(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 2);
            m.Write(a, p, 3);
            Assert.Equal((long)p, a.Mremap(p, 2 * Page.Size, 5 * Page.Size, RemapFlags.None, 0));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            Assert.Equal(3, m.Read(a, p));
            Assert.Equal(0, m.Read(a, p + 4 * Page.Size));
            m.Write(a, p + 4 * Page.Size, 4);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Growing_into_a_neighbour_merges_with_it(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 2);
            Fixed(a, p + 4 * Page.Size, 2);
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal((long)p, a.Mremap(p, 2 * Page.Size, 4 * Page.Size, RemapFlags.None, 0));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Growing_without_room_fails_with_enomem_unless_it_may_move(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design, offsets: AnonOffsets.Linear);
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 2);
            Fixed(a, p + 2 * Page.Size, 1);
            a.Mprotect(p + 2 * Page.Size, Page.Size, Protection.Read);   // a blocker that does not merge
            m.WriteU64(a, p, 0x1122334455667788);
            m.WriteU64(a, p + Page.Size, 99);
            ulong frame0 = a.PageTable.Lookup(p).Frame;
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(p, 2 * Page.Size, 4 * Page.Size, RemapFlags.None, 0));
            m.Check();
            long moved = a.Mremap(p, 2 * Page.Size, 4 * Page.Size, RemapFlags.MayMove, 0);
            Assert.True(moved > 0 && (ulong)moved != p);
            ulong q = (ulong)moved;
            m.Check();
            // Same frames, same indexes, nothing copied; the old range is gone.
            Assert.Equal(frame0, a.PageTable.Lookup(q).Frame);
            Assert.Equal(0x1122334455667788UL, m.ReadU64(a, q));
            Assert.Equal(99UL, m.ReadU64(a, q + Page.Size));
            Assert.Equal(0UL, m.ReadU64(a, q + 3 * Page.Size));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, p, AccessKind.Read));
            Assert.Equal(p >> Page.Shift, a.FindVma(q).PgOff);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mremap_fixed_moves_part_of_a_vma_and_moving_it_back_merges_again(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 4);
            for (ulong i = 0; i < 4; i++)
                m.Write(a, p + i * Page.Size, (byte)(20 + i));
            ulong away = 0x5000_0000;
            Fixed(a, away, 1);                                  // replaced by the move
            Assert.Equal((long)away, a.Mremap(p + Page.Size, 2 * Page.Size, 2 * Page.Size,
                                              RemapFlags.MayMove | RemapFlags.Fixed, away));
            m.Check();
            Assert.Equal(3, a.Vmas.Count);
            Assert.Equal(21, m.Read(a, away));
            Assert.Equal(22, m.Read(a, away + Page.Size));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, p + Page.Size, AccessKind.Read));
            Assert.Equal((long)(p + Page.Size), a.Mremap(away, 2 * Page.Size, 2 * Page.Size,
                                                          RemapFlags.MayMove | RemapFlags.Fixed, p + Page.Size));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            for (ulong i = 0; i < 4; i++)
                Assert.Equal((byte)(20 + i), m.Read(a, p + i * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mremap_fixed_to_a_shorter_length_drops_the_tail(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 3);
            for (ulong i = 0; i < 3; i++)
                m.Write(a, p + i * Page.Size, (byte)(i + 1));
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(0x6000_0000L, a.Mremap(p, 3 * Page.Size, Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, 0x6000_0000));
            m.Check();
            Assert.Equal(1, m.Read(a, 0x6000_0000));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, 0x6000_0000 + Page.Size, AccessKind.Read));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, p + Page.Size, AccessKind.Read));
            Assert.True(m.Frames.FreeFrames >= free + 2);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Moving_a_cow_shared_region_keeps_parent_and_child_data_separate(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = Fixed(parent, 0x4000_0000, 3);
            for (ulong i = 0; i < 3; i++)
                m.Write(parent, p + i * Page.Size, (byte)(30 + i));
            var child = m.Fork(parent);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            // The child moves the region; frames stay shared, still read-only.
            Assert.Equal(0x7000_0000L, child.Mremap(p, 3 * Page.Size, 4 * Page.Size,
                                                     RemapFlags.MayMove | RemapFlags.Fixed, 0x7000_0000));
            m.Check();
            ulong q = 0x7000_0000;
            Assert.Equal(frame, child.PageTable.Lookup(q).Frame);
            Assert.False(child.PageTable.Lookup(q).IsWritable);
            Assert.Equal(2, m.Frames.Frame(frame).MapCount);
            m.Write(child, q, 1);
            m.Check();
            m.Write(parent, p + Page.Size, 2);
            m.Check();
            Assert.Equal(30, m.Read(parent, p));
            Assert.Equal(1, m.Read(child, q));
            Assert.Equal(2, m.Read(parent, p + Page.Size));
            Assert.Equal(31, m.Read(child, q + Page.Size));
            Assert.Equal(32, m.Read(child, q + 2 * Page.Size));
            Assert.Equal(32, m.Read(parent, p + 2 * Page.Size));
            Assert.Equal(0, m.Read(child, q + 3 * Page.Size));
            // The parent moves its copy too, not fixed.
            long r = parent.Mremap(p, 3 * Page.Size, 8 * Page.Size, RemapFlags.MayMove, 0);
            Assert.True(r > 0);
            m.Check();
            Assert.Equal(30, m.Read(parent, (ulong)r));
            Assert.Equal(32, m.Read(parent, (ulong)r + 2 * Page.Size));
            m.Exit(child);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mremap_errors_follow_linux(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 2);
            Fixed(a, p + 3 * Page.Size, 1);
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size, (RemapFlags)8, 0));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size, RemapFlags.Fixed, 0x5000_0000));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size, RemapFlags.DontUnmap, 0x5000_0000));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p + 1, Page.Size, Page.Size, RemapFlags.None, 0));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, 0, RemapFlags.None, 0));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, 0, Page.Size, RemapFlags.MayMove, 0));
            Assert.Equal(-(long)Errno.EFAULT, a.Mremap(p + 2 * Page.Size, Page.Size, 2 * Page.Size, RemapFlags.MayMove, 0));
            Assert.Equal(-(long)Errno.EFAULT, a.Mremap(p, 3 * Page.Size, 5 * Page.Size, RemapFlags.MayMove, 0));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(p, 2 * Page.Size, 4 * Page.Size, RemapFlags.None, 0));
            // Fixed destinations: unaligned, overlapping, beyond user space, below mmap_min_addr.
            RemapFlags fix = RemapFlags.MayMove | RemapFlags.Fixed;
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size, fix, 0x5000_0001));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, 2 * Page.Size, 2 * Page.Size, fix, p + Page.Size));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, 2 * Page.Size, fix, 0x7FFF_FFFF_F000));
            Assert.Equal(-(long)Errno.EPERM, a.Mremap(p, Page.Size, Page.Size, fix, 0x1000));
            Assert.Equal(-(long)Errno.EFAULT, a.Mremap(p, 3 * Page.Size, 3 * Page.Size, fix, 0x5000_0000));
            m.Check();
            Assert.Equal(2, a.Vmas.Count);
            // Same length: nothing to do.
            Assert.Equal((long)p, a.Mremap(p, 2 * Page.Size, 2 * Page.Size, RemapFlags.MayMove, 0));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_move_that_runs_out_of_frames_for_page_tables_changes_nothing(RmapDesign design)
        {
            using var m = new TestMachine(16, rmap: design);
            m.AllowOvercommit();
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 1);
            m.Write(a, p, 8);
            var hog = m.NewSpace();
            long h = hog.Mmap(0x4000_0000, 64 * Page.Size, ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            Assert.Equal(0x4000_0000L, h);
            for (ulong i = 0; m.Frames.FreeFrames > 0; i++)
                m.Write(hog, 0x4000_0000 + i * Page.Size, 1);
            // A destination in another PML4 slot needs three new table pages: none are free.
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(p, Page.Size, Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, 0x7F00_0000_0000));
            m.Check();
            Assert.Equal(8, m.Read(a, p));
            Assert.Equal(1, a.Vmas.Count);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Huge_lengths_are_checked_before_anything_reaches_the_kernel_half(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = Fixed(a, 0x4000_0000, 2);
            ulong q = Fixed(a, 0x2000_0000, 1);
            m.Write(a, p, 5);
            RemapFlags fix = RemapFlags.MayMove | RemapFlags.Fixed;
            // Linux unmaps the destination, then finds the source's tail past TASK_SIZE: EINVAL.
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, 1UL << 63, Page.Size, fix, q));
            m.Check();
            Assert.Null(a.FindVma(q));
            Assert.Equal(5, m.Read(a, p));
            foreach (ulong huge in new[] { 1UL << 63, (1UL << 63) + Page.Size, ulong.MaxValue - Page.Size, ulong.MaxValue })
            {
                Assert.True(a.Mremap(p, huge, Page.Size, RemapFlags.None, 0) < 0);
                Assert.True(a.Mremap(p, huge, Page.Size, fix, 0x3000_0000) < 0);
                Assert.True(a.Mremap(p, Page.Size, huge, RemapFlags.MayMove, 0) < 0);
                Assert.True(a.Mremap(p, Page.Size, huge, fix, 0x3000_0000) < 0);
                Assert.Equal(-(int)Errno.EINVAL, a.Munmap(p, huge));
                Assert.True(a.Mprotect(p, huge, Protection.Read) < 0);
                Assert.True(a.Mmap(p, huge, Protection.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed) < 0);
                m.Check();
            }
            Assert.Equal(5, m.Read(a, p));
            // madvise does the mapped part, then reports the rest as unmapped.
            Assert.Equal(-(int)Errno.ENOMEM, a.Madvise(p, 1UL << 63, AddressSpace.MadviseDontNeed));
            Assert.Equal(-(int)Errno.EINVAL, a.Madvise(p, ulong.MaxValue - 2 * Page.Size, AddressSpace.MadviseDontNeed));
            Assert.Equal(0, m.Read(a, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void The_last_user_page_is_never_mappable(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong last = AddressSpace.TaskSize;
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(last, Page.Size, ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            Assert.Equal(-(int)Errno.EINVAL, a.Munmap(last, Page.Size));
            Assert.Equal(0, a.Munmap(last - Page.Size, Page.Size));
            Assert.Equal(0, a.Munmap(0, Page.Size));
            ulong p = Fixed(a, last - Page.Size, 1);
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, last));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(p, Page.Size, 2 * Page.Size, RemapFlags.None, 0));
            Assert.Equal(-(int)Errno.ENOMEM, a.Madvise(p, 2 * Page.Size, AddressSpace.MadviseDontNeed));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
