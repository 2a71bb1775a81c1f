using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // mlock, mlock2, munlock, mlockall and munlockall as Linux 6.1 answers them for a root
    // process: the checks in order, VMAs split and merged by the Locked flag, pages faulted
    // in, reclaim leaving locked pages alone under every rmap design, fork dropping locks,
    // MCL_FUTURE on later mmap and brk, and the other calls that look at locks.
    public class MlockTests
    {
        const int EINVAL = -(int)Errno.EINVAL;
        const int ENOMEM = -(int)Errno.ENOMEM;
        const MapFlags PrivateAnon = MapFlags.Private | MapFlags.Anonymous;
        const Protection ReadWrite = Protection.Read | Protection.Write;

        // True when the PTE of `address` holds a frame (the zero page included).
        static bool Resident(AddressSpace a, ulong address)
        {
            return a.PageTable.Lookup(address).HasFrame;
        }

        static int Locked(AddressSpace a, ulong address)
        {
            return (a.FindVma(address).Flags & VmaFlags.Locked) != 0 ? 1 : 0;
        }

        [Fact]
        public void Checks_come_in_linux_order()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(EINVAL, a.Mlock(p, Page.Size, 2));
            Assert.Equal(0, a.Mlock(p, ulong.MaxValue, 0));                        // rounds up to 0
            Assert.Equal(0, a.Mlock(0x10000, 0, 0));
            Assert.Equal(EINVAL, a.Mlock(p, ulong.MaxValue - Page.Size + 1, 0));    // wraps
            Assert.Equal(EINVAL, a.Munlock(p, ulong.MaxValue - Page.Size + 1));
            Assert.Equal(ENOMEM, a.Mlock(0x10000, Page.Size, 0));
            Assert.Equal(ENOMEM, a.Munlock(AddressSpace.TaskSize, Page.Size));
            Assert.Equal(EINVAL, a.Mlockall(0));
            Assert.Equal(EINVAL, a.Mlockall(AddressSpace.MclOnFault));
            Assert.Equal(EINVAL, a.Mlockall(8));
            Assert.Equal(0, a.Mlock(p + 1, Page.Size, 0));                          // both pages it touches
            Assert.Equal(1, a.Vmas.Count);
            Assert.Equal(2 * 1UL, a.LockedPages());
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_lock_splits_its_piece_off_faults_it_in_and_an_unlock_merges_it_back()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            Assert.Equal(0, a.Mlock(p + Page.Size, 2 * Page.Size, 0));
            Assert.Equal(3, a.Vmas.Count);
            Assert.Equal(2UL, a.LockedPages());
            Assert.False(Resident(a, p));
            Assert.True(Resident(a, p + Page.Size) && Resident(a, p + 2 * Page.Size));
            Assert.False(Resident(a, p + 3 * Page.Size));
            Assert.True(a.PageTable.Lookup(p + Page.Size).IsWritable);              // a write fault
            Assert.Equal(0, a.Munlock(p, 4 * Page.Size));
            Assert.Equal(1, a.Vmas.Count);
            Assert.Equal(0UL, a.LockedPages());
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Lock_on_fault_does_not_fault_in_and_a_plain_lock_afterwards_does()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2, Protection.Read);
            Assert.Equal(0, a.Mlock(p, 2 * Page.Size, AddressSpace.MlockOnFault));
            Assert.Equal(VmaFlags.Locked | VmaFlags.LockOnFault, a.FindVma(p).Flags & (VmaFlags.Locked | VmaFlags.LockOnFault));
            Assert.False(Resident(a, p));
            Assert.Equal(0, a.Mlock(p, 2 * Page.Size, 0));
            Assert.Equal(VmaFlags.Locked, a.FindVma(p).Flags & (VmaFlags.Locked | VmaFlags.LockOnFault));
            Assert.True(Resident(a, p) && Resident(a, p + Page.Size));               // the zero page
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_hole_or_prot_none_is_enomem_and_the_pieces_before_a_hole_stay_locked()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 3);
            Assert.Equal(0, a.Munmap(p + 2 * Page.Size, Page.Size));
            Assert.Equal(ENOMEM, a.Mlock(p, 3 * Page.Size, 0));
            Assert.Equal(1, Locked(a, p));
            Assert.False(Resident(a, p));                                           // not faulted in
            ulong n = m.MapAnonymous(a, 1, Protection.None);
            Assert.Equal(ENOMEM, a.Mlock(n, Page.Size, 0));
            Assert.Equal(1, Locked(a, n));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_lock_needing_a_split_at_the_map_count_limit_is_ENOMEM()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            const ulong Base = 0x1000_0000;
            int pages = AddressSpace.MaxMapCount + 8;
            Assert.Equal((long)Base, a.Mmap(Base, (ulong)pages * Page.Size, ReadWrite,
                                            PrivateAnon | MapFlags.Fixed | MapFlags.NoReserve));
            int result = 0;
            for (int i = 1; i < pages - 1 && result == 0; i += 2)
                result = a.Mlock(Base + (ulong)i * Page.Size, Page.Size, AddressSpace.MlockOnFault);
            Assert.Equal(ENOMEM, result);
            Assert.Equal(AddressSpace.MaxMapCount, a.Vmas.Count);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Reclaim_leaves_locked_pages_and_takes_the_others(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            ulong s = m.MapShared(a, 2);
            for (int i = 0; i < 4; i++)
                m.Write(a, p + (ulong)i * Page.Size, (byte)(i + 1));
            Assert.Equal(0, a.Mlock(p, 2 * Page.Size, 0));
            Assert.Equal(0, a.Mlock(s, 2 * Page.Size, 0));
            var child = m.Fork(a);                                                  // maps them unlocked too
            while (m.Manager.Reclaimer.Reclaim(ulong.MaxValue) > 0)
            {
            }
            Assert.True(a.PageTable.Lookup(p).IsPresent && a.PageTable.Lookup(p + Page.Size).IsPresent);
            Assert.True(a.PageTable.Lookup(s).IsPresent && a.PageTable.Lookup(s + Page.Size).IsPresent);
            Assert.True(a.PageTable.Lookup(p + 2 * Page.Size).IsSwap && a.PageTable.Lookup(p + 3 * Page.Size).IsSwap);
            Assert.Equal(3, m.Read(a, p + 2 * Page.Size));
            Assert.Equal(1, m.Read(child, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Locked_pages_stay_resident_while_faults_swap_everything_else_out(RmapDesign design)
        {
            using var m = new TestMachine(96, swapPages: 256, rmap: design);
            var a = m.NewSpace();
            ulong locked = m.MapAnonymous(a, 8);
            for (int i = 0; i < 8; i++)
                m.Write(a, locked + (ulong)i * Page.Size, (byte)(i + 10));
            Assert.Equal(0, a.Mlock(locked, 8 * Page.Size, 0));
            ulong bulk = m.MapAnonymous(a, 160);
            for (int round = 0; round < 2; round++)
                for (int i = 0; i < 160; i++)
                    m.Write(a, bulk + (ulong)i * Page.Size, (byte)(i + round));
            Assert.True(m.Manager.Stat.PswpOut > 0);
            for (int i = 0; i < 8; i++)
                Assert.True(a.PageTable.Lookup(locked + (ulong)i * Page.Size).IsPresent);
            for (int i = 0; i < 8; i++)
                Assert.Equal(i + 10, m.Read(a, locked + (ulong)i * Page.Size));
            Assert.Equal(159 + 1, m.Read(a, bulk + 159 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void TryToUnmap_refuses_a_locked_page_and_changes_nothing(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 8, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            m.Write(a, p, 5);
            Assert.Equal(0, a.Mlock(p, Page.Size, 0));
            var child = m.Fork(a);                                                  // shares the page unlocked
            Pte before = a.PageTable.Lookup(p);
            ulong frame = before.Frame;
            m.Manager.Frames.Get(frame);
            Assert.False(new TryToUnmap(m.Manager).Unmap(frame, new Pte(new SwapEntry(0, 3).ToPte())));
            m.Manager.Frames.Put(frame);
            Assert.Equal(before.Raw, a.PageTable.Lookup(p).Raw);
            Assert.Equal(frame, child.PageTable.Lookup(p).Frame);
            Assert.Equal(2, m.Manager.Frames.Frame(frame).MapCount);
            m.Check();
            m.AssertNoLeaks();
        }

        // Random mlock, mlock2(ONFAULT), munlock and mprotect calls on one 64-page mapping
        // against a model of each page's lock state: every page's VMA agrees with the
        // model, and VMAs whose flags and protection are equal are merged unless the rmap
        // keeps them apart (pieces faulted in separately got anon_vmas of their own, as on
        // Linux): mprotect's and mlock's pieces split and join through the same path.
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Random_locks_and_unlocks_agree_with_a_page_model_and_merge_back(int seed)
        {
            using var m = new TestMachine(256);
            var a = m.NewSpace();
            const int Pages = 64;
            ulong p = m.MapAnonymous(a, Pages);
            var locked = new VmaFlags[Pages];
            var random = new System.Random(seed);
            for (int step = 0; step < 300; step++)
            {
                int first = random.Next(Pages);
                int count = 1 + random.Next(Pages - first);
                ulong address = p + (ulong)first * Page.Size;
                ulong length = (ulong)count * Page.Size;
                VmaFlags state;
                switch (random.Next(4))
                {
                    case 0:
                        Assert.Equal(0, a.Mlock(address, length, 0));
                        state = VmaFlags.Locked;
                        break;
                    case 1:
                        Assert.Equal(0, a.Mlock(address, length, AddressSpace.MlockOnFault));
                        state = VmaFlags.Locked | VmaFlags.LockOnFault;
                        break;
                    case 2:
                        Assert.Equal(0, a.Munlock(address, length));
                        state = VmaFlags.None;
                        break;
                    default:
                        Assert.Equal(0, a.Mprotect(address, length, random.Next(2) == 0 ? Protection.Read : ReadWrite));
                        continue;
                }
                for (int i = first; i < first + count; i++)
                    locked[i] = state;
                for (int i = 0; i < Pages; i++)
                    Assert.Equal(locked[i], a.FindVma(p + (ulong)i * Page.Size).Flags & (VmaFlags.Locked | VmaFlags.LockOnFault));
                for (Vma vma = a.Vmas.First; vma != null && vma.Next != null; vma = vma.Next)
                    Assert.False(vma.End == vma.Next.Start && vma.Flags == vma.Next.Flags && vma.Prot == vma.Next.Prot
                                 && m.Manager.Rmap.IsMergeable(vma, vma.Next), "two equal neighbours were left unmerged");
                m.Check();
            }
            Assert.Equal(0, a.Munlockall());
            Assert.Equal(0UL, a.LockedPages());
            m.AssertNoLeaks();
        }

        [Fact]
        public void Fork_copies_no_lock_and_no_default_flags()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(0, a.Mlockall(AddressSpace.MclCurrent | AddressSpace.MclFuture));
            var child = m.Fork(a);
            Assert.Equal(0UL, child.LockedPages());
            Assert.Equal(VmaFlags.None, child.DefaultFlags);
            Assert.Equal(0, Locked(child, p));
            Assert.Equal(1, Locked(a, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mlockall_locks_every_vma_and_future_mappings_and_munlockall_undoes_it()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            ulong n = m.MapAnonymous(a, 1, Protection.None);
            Assert.Equal(0, a.Mlockall(AddressSpace.MclCurrent | AddressSpace.MclFuture));
            Assert.Equal(1, Locked(a, p) & Locked(a, n));
            Assert.True(Resident(a, p) && Resident(a, p + Page.Size));
            ulong q = m.MapAnonymous(a, 2);
            Assert.Equal(1, Locked(a, q));
            Assert.True(Resident(a, q + Page.Size));
            ulong heap = a.CurrentBrk;
            Assert.Equal(heap + 2 * Page.Size, a.Brk(heap + 2 * Page.Size));
            Assert.Equal(1, Locked(a, heap));
            Assert.True(Resident(a, heap + Page.Size));
            Assert.Equal(0, a.Munlockall());
            Assert.Equal(0UL, a.LockedPages());
            Assert.Equal(VmaFlags.None, a.DefaultFlags);
            Assert.Equal(0, Locked(a, m.MapAnonymous(a, 1)));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mlockall_future_on_fault_locks_new_mappings_without_faulting_them_in()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            Assert.Equal(0, a.Mlockall(AddressSpace.MclFuture | AddressSpace.MclOnFault));
            Assert.Equal(0, Locked(a, p));
            ulong q = m.MapAnonymous(a, 1);
            Assert.Equal(VmaFlags.Locked | VmaFlags.LockOnFault, a.FindVma(q).Flags & (VmaFlags.Locked | VmaFlags.LockOnFault));
            Assert.False(Resident(a, q));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Map_locked_and_map_populate_fault_in_and_nonblock_does_not()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            long locked = a.Mmap(0, 2 * Page.Size, ReadWrite, PrivateAnon | MapFlags.Locked);
            Assert.Equal(1, Locked(a, (ulong)locked));
            Assert.True(Resident(a, (ulong)locked + Page.Size));
            long populated = a.Mmap(0, 2 * Page.Size, ReadWrite, MapFlags.Shared | MapFlags.Anonymous | MapFlags.Populate);
            Assert.Equal(0, Locked(a, (ulong)populated));
            Assert.True(Resident(a, (ulong)populated + Page.Size));
            long lazy = a.Mmap(0, Page.Size, ReadWrite, PrivateAnon | MapFlags.Populate | MapFlags.NonBlock);
            Assert.False(Resident(a, (ulong)lazy));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Calls_that_evict_or_invalidate_refuse_locked_memory()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            ulong s = m.MapShared(a, 1);
            m.Write(a, p, 4);
            Assert.Equal(0, a.Mlock(p, Page.Size, 0));
            Assert.Equal(0, a.Mlock(s, Page.Size, 0));
            foreach (Advice advice in new[] { Advice.DontNeed, Advice.Free, Advice.Cold, Advice.PageOut })
                Assert.Equal(EINVAL, a.Madvise(p, Page.Size, (int)advice));
            Assert.Equal(EINVAL, a.Madvise(s, Page.Size, (int)Advice.Remove));
            Assert.Equal(-(int)Errno.EBUSY, a.Msync(p, Page.Size, (int)SyncFlags.Invalidate));
            Assert.Equal(0, a.Msync(p, Page.Size, (int)SyncFlags.Sync));
            Assert.Equal(4, m.Read(a, p));
            Assert.Equal(0, a.Madvise(p, Page.Size, (int)Advice.DontNeedLocked));
            Assert.Equal(0, m.Read(a, p));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mremap_faults_in_a_locked_mappings_growth_and_dontunmap_leaves_the_old_range_unlocked()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            Assert.Equal(0, a.Mlock(p, Page.Size, 0));
            long grown = a.Mremap(p, Page.Size, 3 * Page.Size, RemapFlags.MayMove, 0);
            Assert.True(grown > 0);
            Assert.True(Resident(a, (ulong)grown + 2 * Page.Size));
            Assert.Equal(3UL, a.LockedPages());
            long moved = a.Mremap((ulong)grown, 3 * Page.Size, 3 * Page.Size, RemapFlags.MayMove | RemapFlags.DontUnmap, 0);
            Assert.True(moved > 0);
            Assert.Equal(1, Locked(a, (ulong)moved));
            Assert.Equal(0, Locked(a, (ulong)grown));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
