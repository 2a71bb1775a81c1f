using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // Overcommit accounting (CommitAccounting) as Linux 6.1 does it: which syscalls charge
    // and uncharge, the three modes, and that a refusal changes nothing. The invariant
    // checker (m.Check) also proves Committed equals what the VMAs and objects hold.
    public class CommitAccountingTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;
        const MapFlags Private = MapFlags.Private | MapFlags.Anonymous;
        const MapFlags Shared = MapFlags.Shared | MapFlags.Anonymous;
        const ulong At = 0x4000_0000;

        static ulong Committed(TestMachine m) => m.Manager.Commit.Committed;

        static ulong Bytes(ulong pages) => pages * Page.Size;

        // RAM + swap of the machine, in pages: the heuristic's ceiling for one request.
        static ulong RamAndSwap(TestMachine m) => m.Manager.Stat.TotalFrames + m.Manager.Stat.SwapTotal;

        static void SetMode(TestMachine m, OvercommitMode mode) =>
            Assert.Equal(Errno.None, m.Manager.Commit.SetMode((ulong)mode));

        [Fact]
        public void The_default_is_the_heuristic_with_ratio_50_and_bad_settings_are_refused()
        {
            using var m = new TestMachine(256, swapPages: 65);
            CommitAccounting commit = m.Manager.Commit;
            Assert.Equal(OvercommitMode.Heuristic, commit.Mode);
            Assert.Equal(50UL, commit.Ratio);
            Assert.Equal(m.Manager.Stat.TotalFrames / 2 + 64, commit.CommitLimit);
            Assert.Equal(Errno.EINVAL, commit.SetMode(3));
            Assert.Equal(Errno.None, commit.SetRatio(100));
            Assert.Equal(m.Manager.Stat.TotalFrames + 64, commit.CommitLimit);
            Assert.Equal(0UL, commit.Committed);
        }

        [Fact]
        public void Private_writable_mmap_is_charged_and_munmap_uncharges_each_part()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            Assert.Equal((long)At, a.Mmap(At, Bytes(10), ReadWrite, Private | MapFlags.Fixed));
            Assert.Equal(10UL, Committed(m));
            Assert.Equal(0, a.Munmap(At + Bytes(3), Bytes(2)));   // a hole: split, 2 pages back
            Assert.Equal(8UL, Committed(m));
            m.Check();
            Assert.Equal(0, a.Munmap(At, Bytes(10)));
            Assert.Equal(0UL, Committed(m));
            m.AssertNoLeaks();
        }

        [Fact]
        public void Read_only_prot_none_and_noreserve_private_mappings_are_not_charged()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            Assert.True(a.Mmap(0, Bytes(8), Protection.Read, Private) > 0);
            Assert.True(a.Mmap(0, Bytes(8), Protection.None, Private) > 0);
            Assert.True(a.Mmap(0, Bytes(8), ReadWrite, Private | MapFlags.NoReserve) > 0);
            Assert.Equal(0UL, Committed(m));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void The_heuristic_refuses_one_request_above_ram_plus_swap_and_nothing_changes()
        {
            using var m = new TestMachine(64, swapPages: 33);
            var a = m.NewSpace();
            ulong limit = RamAndSwap(m);
            Assert.True(a.Mmap(0, Bytes(limit), ReadWrite, Private) > 0);        // exactly RAM + swap: granted
            Assert.Equal(limit, Committed(m));
            Assert.True(a.Mmap(0, Bytes(limit), ReadWrite, Private) > 0);        // per request, not in total
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Bytes(limit + 1), ReadWrite, Private));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Bytes(limit + 1), ReadWrite, Shared));
            Assert.Equal(2 * limit, Committed(m));
            Assert.Equal(2 * limit, a.Vmas.TotalPages);
            // MAP_NORESERVE and read-only mappings of any size are fine.
            Assert.True(a.Mmap(0, 1UL << 40, ReadWrite, Private | MapFlags.NoReserve) > 0);
            Assert.True(a.Mmap(0, 1UL << 40, Protection.Read, Private) > 0);
            Assert.True(a.Mmap(0, 1UL << 40, ReadWrite, Shared | MapFlags.NoReserve) > 0);
            Assert.Equal(2 * limit, Committed(m));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mode_1_grants_everything_but_still_counts()
        {
            using var m = new TestMachine(64);
            SetMode(m, OvercommitMode.Always);
            var a = m.NewSpace();
            Assert.True(a.Mmap(0, 1UL << 40, ReadWrite, Private) > 0);
            Assert.Equal((1UL << 40) >> Page.Shift, Committed(m));
            m.Check();
            m.AssertNoLeaks();
            Assert.Equal(0UL, Committed(m));
        }

        [Fact]
        public void Mode_2_stops_below_commit_limit_less_the_user_reserve_and_ignores_noreserve()
        {
            using var m = new TestMachine(512);
            SetMode(m, OvercommitMode.Never);
            var a = m.NewSpace();
            ulong limit = m.Manager.Commit.CommitLimit;                 // half the frames, no swap
            Assert.Equal(m.Manager.Stat.TotalFrames / 2, limit);
            Assert.True(a.Mmap(0, Bytes(200), ReadWrite, Private) > 0);
            // The space maps 200 pages: it must leave min(200 / 32, reserve) = 6 pages below
            // the limit, and the total must stay strictly below what is left.
            ulong room = limit - 6 - 200;
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Bytes(room), ReadWrite, Private));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Bytes(room), ReadWrite, Private | MapFlags.NoReserve));
            Assert.Equal(200UL, Committed(m));
            long last = a.Mmap(0, Bytes(room - 1), ReadWrite, Private | MapFlags.NoReserve);
            Assert.True(last > 0);
            Assert.Equal(200 + room - 1, Committed(m));               // NoReserve was ignored: charged
            // Read-only mappings are never charged, in any mode.
            Assert.True(a.Mmap(0, 1UL << 30, Protection.Read, Private) > 0);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mprotect_to_writable_charges_once_and_read_only_again_keeps_the_charge()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            Assert.Equal((long)At, a.Mmap(At, Bytes(8), Protection.Read, Private | MapFlags.Fixed));
            Assert.Equal(0, a.Mprotect(At + Bytes(2), Bytes(3), ReadWrite));
            Assert.Equal(3UL, Committed(m));
            Assert.Equal(0, a.Mprotect(At + Bytes(2), Bytes(3), Protection.Read));
            Assert.Equal(3UL, Committed(m));
            Assert.Equal(0, a.Mprotect(At + Bytes(2), Bytes(3), ReadWrite));     // Account already
            Assert.Equal(3UL, Committed(m));
            m.Check();
            // A NoReserve mapping made writable stays uncharged (modes 0 and 1).
            long q = a.Mmap(0, Bytes(4), Protection.Read, Private | MapFlags.NoReserve);
            Assert.True(q > 0);
            Assert.Equal(0, a.Mprotect((ulong)q, Bytes(4), ReadWrite));
            Assert.Equal(3UL, Committed(m));
            m.AssertNoLeaks();
            Assert.Equal(0UL, Committed(m));
        }

        [Fact]
        public void A_refused_mprotect_charge_changes_nothing()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong huge = RamAndSwap(m) + 1;
            Assert.Equal((long)At, a.Mmap(At, Bytes(huge + 2), Protection.Read, Private | MapFlags.Fixed));
            Assert.Equal(-(int)Errno.ENOMEM, a.Mprotect(At + Bytes(1), Bytes(huge), ReadWrite));
            Assert.Equal(1, a.Vmas.Count);                               // not split either
            Assert.Equal(Protection.Read, a.Vmas.First.Prot);
            Assert.Equal(0UL, Committed(m));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mremap_growth_charges_the_difference_in_place_and_by_a_move_and_shrinking_uncharges()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            Assert.Equal((long)At, a.Mmap(At, Bytes(4), ReadWrite, Private | MapFlags.Fixed));
            m.Write(a, At, 5);
            Assert.Equal((long)At, a.Mremap(At, Bytes(4), Bytes(6), RemapFlags.None, 0));       // in place
            Assert.Equal(6UL, Committed(m));
            Assert.Equal((long)(At + Bytes(7)), a.Mmap(At + Bytes(7), Bytes(1), Protection.Read, Private | MapFlags.Fixed));
            long moved = a.Mremap(At, Bytes(6), Bytes(9), RemapFlags.MayMove, 0);              // must move
            Assert.True(moved > 0 && (ulong)moved != At);
            Assert.Equal(9UL, Committed(m));
            Assert.Equal(5, m.Read(a, (ulong)moved));
            Assert.Equal(moved, a.Mremap((ulong)moved, Bytes(9), Bytes(2), RemapFlags.None, 0));
            Assert.Equal(2UL, Committed(m));
            // A refused growth changes nothing.
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap((ulong)moved, Bytes(2), Bytes(RamAndSwap(m) + 3), RemapFlags.MayMove, 0));
            Assert.Equal(2UL, Committed(m));
            Assert.Equal(Bytes(2), a.FindVma((ulong)moved).Length);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Brk_charges_its_growth_refuses_too_much_and_shrinking_uncharges()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong start = a.Brk(0);
            Assert.Equal(start + Bytes(5), a.Brk(start + Bytes(5)));
            Assert.Equal(5UL, Committed(m));
            Assert.Equal(start + Bytes(5), a.Brk(start + Bytes(5 + RamAndSwap(m) + 1)));        // refused
            Assert.Equal(5UL, Committed(m));
            Assert.Equal(start + Bytes(2), a.Brk(start + Bytes(2)));
            Assert.Equal(2UL, Committed(m));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_shared_mapping_charges_its_object_once_until_the_last_mapping_goes()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            long p = a.Mmap(0, Bytes(6), Protection.Read, Shared);                // any protection
            Assert.True(p > 0);
            Assert.Equal(6UL, Committed(m));
            var child = m.Fork(a);                                             // not charged again
            Assert.Equal(6UL, Committed(m));
            Assert.Equal(0, a.Munmap((ulong)p, Bytes(6)));
            Assert.Equal(6UL, Committed(m));                                   // the child still maps it
            m.Check();
            m.Exit(child);
            Assert.Equal(0UL, Committed(m));
            m.AssertNoLeaks();
        }

        [Fact]
        public void Fork_charges_the_childs_accountable_vmas_and_exit_gives_them_back()
        {
            using var m = new TestMachine(128);
            var a = m.NewSpace();
            Assert.True(a.Mmap(0, Bytes(7), ReadWrite, Private) > 0);
            Assert.True(a.Mmap(0, Bytes(5), Protection.Read, Private) > 0);
            ulong start = a.Brk(0);
            a.Brk(start + Bytes(3));
            Assert.Equal(10UL, Committed(m));
            for (int i = 0; i < 20; i++)
            {
                var child = m.Fork(a);
                Assert.Equal(20UL, Committed(m));
                var grandchild = m.Fork(child);
                Assert.Equal(30UL, Committed(m));
                m.Exit(child);
                m.Exit(grandchild);
                Assert.Equal(10UL, Committed(m));
            }
            m.Check();
            m.AssertNoLeaks();
            Assert.Equal(0UL, Committed(m));
        }

        [Fact]
        public void A_fork_refused_in_mode_2_leaves_the_count_and_memory_unchanged()
        {
            using var m = new TestMachine(512);
            SetMode(m, OvercommitMode.Never);
            var a = m.NewSpace();
            ulong limit = m.Manager.Commit.CommitLimit;
            Assert.True(a.Mmap(0, Bytes(limit / 3), ReadWrite, Private) > 0);
            Assert.True(a.Mmap(0, Bytes(limit / 3), ReadWrite, Private) > 0);
            ulong committed = Committed(m), free = m.Frames.FreeFrames;
            // The child's first VMA fits, its second does not.
            Assert.Equal(Errno.ENOMEM, a.Fork(out AddressSpace child));
            Assert.Null(child);
            Assert.Equal(committed, Committed(m));
            Assert.Equal(free, m.Frames.FreeFrames);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Map_fixed_over_a_charged_mapping_uncharges_the_old_one_first()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            Assert.Equal((long)At, a.Mmap(At, Bytes(8), ReadWrite, Private | MapFlags.Fixed));
            Assert.Equal((long)At, a.Mmap(At, Bytes(4), Protection.Read, Private | MapFlags.Fixed));
            Assert.Equal(4UL, Committed(m));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
