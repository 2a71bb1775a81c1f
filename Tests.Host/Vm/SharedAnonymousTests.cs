using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class SharedAnonymousTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;

        [Theory, AllDesigns]
        public void Writes_are_visible_across_fork_in_both_directions(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapShared(parent, 2);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            m.Check();
            Assert.True(child.PageTable.Lookup(p).IsWritable);
            m.Write(child, p, 2);
            m.Check();
            Assert.Equal(2, m.Read(parent, p));
            m.Write(parent, p + Page.Size, 3);      // untouched before fork: faulted later in each
            Assert.Equal(3, m.Read(child, p + Page.Size));
            m.Check();
            Assert.Equal(parent.PageTable.Lookup(p + Page.Size).Frame, child.PageTable.Lookup(p + Page.Size).Frame);
            Assert.Equal(0UL, m.Manager.Stat.PgCowFault);
            ulong frame = parent.PageTable.Lookup(p).Frame;
            Assert.Equal(PageFrameFlags.Shmem, m.Frames.Frame(frame).Flags & (PageFrameFlags.Shmem | PageFrameFlags.Anonymous));
            Assert.Equal(3, m.Frames.Frame(frame).RefCount);    // two PTEs + the object
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Several_children_and_grandchildren_share_one_set_of_pages(RmapDesign design)
        {
            using var m = new TestMachine(128, rmap: design);
            var root = m.NewSpace();
            ulong p = m.MapShared(root, 4);
            var children = new AddressSpace[4];
            for (int i = 0; i < children.Length; i++)
            {
                children[i] = m.Fork(i == 0 ? root : children[i - 1]);
                m.Write(children[i], p + (ulong)i * Page.Size, (byte)(i + 1));
                m.Check();
            }
            Assert.Equal(5, root.FindVma(p).SharedObject.MappingCount);
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal((byte)(i + 1), m.Read(root, p + (ulong)i * Page.Size));
                foreach (var c in children)
                    Assert.Equal((byte)(i + 1), m.Read(c, p + (ulong)i * Page.Size));
            }
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Pages_live_until_the_last_process_exits(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong free0 = m.Frames.FreeFrames;
            ulong p = m.MapShared(parent, 3);
            for (ulong i = 0; i < 3; i++)
                m.Write(parent, p + i * Page.Size, 9);
            var child = m.Fork(parent);
            m.Exit(parent);
            m.Check();
            Assert.Equal(9, m.Read(child, p + 2 * Page.Size));
            Assert.Equal(1, m.Manager.LiveSharedObjects);
            m.Exit(child);
            m.Check();
            Assert.Equal(0, m.Manager.LiveSharedObjects);
            Assert.True(m.Frames.FreeFrames > free0);          // page tables of `parent` too
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Madvise_dontneed_drops_the_mappings_but_the_data_stays(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 2);
            m.Write(a, p, 5);
            var child = m.Fork(a);
            Assert.Equal(0, a.Madvise(p, 2 * Page.Size, AddressSpace.MadviseDontNeed));
            m.Check();
            Assert.True(a.PageTable.Lookup(p).IsNone);
            Assert.Equal(5, m.Read(a, p));
            Assert.Equal(5, m.Read(child, p));
            m.Exit(child);
            Assert.Equal(0, a.Madvise(p, 2 * Page.Size, AddressSpace.MadviseDontNeed));
            m.Check();
            Assert.Equal(5, m.Read(a, p));                     // only process left: still there
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Munmap_of_part_keeps_the_object_for_the_rest(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 3);
            for (ulong i = 0; i < 3; i++)
                m.Write(a, p + i * Page.Size, (byte)(i + 1));
            Assert.Equal(0, a.Munmap(p + Page.Size, Page.Size));
            m.Check();
            Assert.Equal(2, a.FindVma(p).SharedObject.MappingCount);
            Assert.Same(a.FindVma(p).SharedObject, a.FindVma(p + 2 * Page.Size).SharedObject);
            Assert.Equal(3, m.Read(a, p + 2 * Page.Size));
            Assert.Equal(2UL, a.FindVma(p + 2 * Page.Size).PgOff);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mprotect_on_shared_splits_and_merges_back_and_upgrades_in_place(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 3);
            m.Write(a, p + Page.Size, 1);
            var child = m.Fork(a);
            Assert.Equal(0, a.Mprotect(p + Page.Size, Page.Size, Protection.Read));
            m.Check();
            Assert.Equal(3, a.Vmas.Count);
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, p + Page.Size, AccessKind.Write));
            m.Write(child, p + Page.Size, 2);                  // the child's mapping is still writable
            Assert.Equal(2, m.Read(a, p + Page.Size));
            Assert.Equal(0, a.Mprotect(p, 3 * Page.Size, ReadWrite));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            Assert.True(a.PageTable.Lookup(p + Page.Size).IsWritable);   // shared: no COW to keep
            m.Write(a, p + Page.Size, 3);
            Assert.Equal(3, m.Read(child, p + Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mremap_of_a_shared_mapping_grows_and_moves_with_the_same_object(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 2);
            m.Write(a, p + Page.Size, 4);
            var child = m.Fork(a);
            Assert.Equal(0x5000_0000L, a.Mremap(p, 2 * Page.Size, 4 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, 0x5000_0000));
            m.Check();
            ulong q = 0x5000_0000;
            Assert.Equal(4, m.Read(a, q + Page.Size));
            m.Write(a, q, 6);
            Assert.Equal(6, m.Read(child, p));
            // The grown part lies past the 2-page object: SIGBUS, as on Linux.
            Assert.Equal(FaultResult.SigBusPastObject, m.TryAccess(a, q + 3 * Page.Size, AccessKind.Write));
            m.Check();
            Assert.Equal(1UL, m.Frames.Frame(a.PageTable.Lookup(q + Page.Size).Frame).Index);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Sparse_pages_far_apart_are_held_in_the_radix_tree(RmapDesign design)
        {
            using var m = new TestMachine(128, rmap: design);
            var a = m.NewSpace();
            // 2^20 pages (4 GiB) of address space, only three touched (MAP_NORESERVE: more
            // than RAM, which overcommit accounting would refuse).
            long r = a.Mmap(0, (1UL << 20) * Page.Size, ReadWrite, MapFlags.Shared | MapFlags.Anonymous | MapFlags.NoReserve);
            Assert.True(r > 0, "mmap failed: " + r);
            ulong p = (ulong)r;
            m.Write(a, p, 1);
            m.Write(a, p + 600UL * Page.Size, 2);
            m.Write(a, p + ((1UL << 20) - 1) * Page.Size, 3);
            m.Check();
            var child = m.Fork(a);
            Assert.Equal(3, m.Read(child, p + ((1UL << 20) - 1) * Page.Size));
            Assert.Equal(0, m.Read(child, p + 300000UL * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Mmap_fixed_over_a_shared_mapping_releases_the_object(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 2);
            m.Write(a, p, 1);
            Assert.Equal((long)p, a.Mmap(p, 2 * Page.Size, ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            m.Check();
            Assert.Equal(0, m.Manager.LiveSharedObjects);
            Assert.Equal(0, m.Read(a, p));
            m.AssertNoLeaks();
        }
    
        [Theory, AllDesigns]
        public void Mremap_with_old_length_zero_duplicates_a_shared_mapping_only(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 3);
            m.Write(a, p + Page.Size, 8);
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(p + Page.Size, 0, 2 * Page.Size, RemapFlags.None, 0));
            long d = a.Mremap(p + Page.Size, 0, 2 * Page.Size, RemapFlags.MayMove, 0);
            Assert.True(d > 0);
            ulong q = (ulong)d;
            m.Check();
            Assert.Equal(8, m.Read(a, q));                      // index 1 of the object
            m.Write(a, q + Page.Size, 9);
            Assert.Equal(9, m.Read(a, p + 2 * Page.Size));
            Assert.Equal(2, a.FindVma(p).SharedObject.MappingCount);
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p + Page.Size, 0, 2 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, p));
            Assert.Equal(0x5000_0000L, a.Mremap(p, 0, Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, 0x5000_0000));
            Assert.Equal(0, m.Read(a, 0x5000_0000));
            m.Check();
            ulong priv = m.MapAnonymous(a, 1);
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(priv, 0, Page.Size, RemapFlags.MayMove, 0));
            Assert.Equal(0, a.Munmap(p, 3 * Page.Size));
            Assert.Equal(9, m.Read(a, q + Page.Size));          // the object lives on in the copy
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_shared_fault_without_free_frames_reports_out_of_memory_and_leaks_nothing(RmapDesign design)
        {
            using var m = new TestMachine(16, rmap: design);
            m.AllowOvercommit();
            var a = m.NewSpace();
            ulong p = m.MapShared(a, 64 * 512);
            FaultResult result = FaultResult.Handled;
            for (ulong i = 0; i < 64 && result == FaultResult.Handled; i++)
            {
                result = m.TryAccess(a, p + i * Page.Size * 512, AccessKind.Write);
                m.Check();
            }
            Assert.Equal(FaultResult.OutOfMemory, result);
            m.AssertNoLeaks();
        }
}
}
