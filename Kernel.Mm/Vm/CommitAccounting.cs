using Cowbird.Mm.Stats;

namespace Cowbird.Mm.Vm
{
    // Overcommit accounting (Linux: vm_committed_as and __vm_enough_memory in mm/util.c).
    // The one owner of the count of committed pages: memory that processes were promised
    // and may touch without asking again, whether or not a frame backs it yet.
    //
    // What is charged, as in Linux 6.1 (the callers are in the AddressSpace files):
    //   - a private writable mapping (mmap) and the brk heap: their VMAs carry
    //     VmaFlags.Account and are charged for their whole length (VM_ACCOUNT), unless
    //     mmap had MAP_NORESERVE in modes 0 and 1 (VmaFlags.NoReserve; mode 2 ignores it);
    //   - a shared anonymous mapping: its object is charged for its size at mmap
    //     (shmem_acct_size), unless NoReserve, and uncharged when its last mapping goes;
    //   - mprotect making a private mapping that was never writable and is not NoReserve
    //     writable charges that range and marks it Account; making it read-only again
    //     keeps the charge (Linux has no finer accounting either);
    //   - mremap growing an Account VMA (in place or by a move) charges the growth;
    //   - fork charges the child's copy of every Account VMA (dup_mmap);
    //   - munmap, brk shrinking, MAP_FIXED over a mapping, mremap shrinking and exit
    //     uncharge every Account page they remove.
    // Invariant (checked by the host tests): Committed equals the pages of every Account
    // VMA of every live address space plus the charged size of every live shared object.
    // A refused charge leaves Committed unchanged.
    public sealed class CommitAccounting
    {
        // Linux: vm.overcommit_ratio default (percent of RAM that counts in mode 2).
        public const ulong DefaultRatio = 50;
        // Linux's cap on vm.user_reserve_kbytes: 128 MiB, in pages.
        const ulong MaxUserReservePages = (128UL << 20) >> Page.Shift;

        readonly VmStat stat;
        // vm.user_reserve_kbytes in pages: what mode 2 keeps back from one big process so
        // its owner can still run a shell to kill it. Linux (init_user_reserve) sets it
        // once at boot to 1/32 of the free pages, at most 128 MiB.
        readonly ulong userReservePages;
        ulong committed;

        // Made by the MemoryManager with the frames free at that moment (boot).
        public CommitAccounting(VmStat vmStat)
        {
            stat = vmStat;
            userReservePages = stat.FreeFrames / 32;
            if (userReservePages > MaxUserReservePages)
                userReservePages = MaxUserReservePages;
            Ratio = DefaultRatio;
        }

        // vm.overcommit_memory. Read at each charge; MAP_NORESERVE reads it at mmap.
        public OvercommitMode Mode { get; private set; }
        // vm.overcommit_ratio: the percentage of RAM CommitLimit counts.
        public ulong Ratio { get; private set; }
        // meminfo Committed_AS, in pages.
        public ulong Committed { get { return committed; } }

        // meminfo CommitLimit, in pages (Linux: vm_commit_limit): swap plus Ratio percent
        // of RAM. Enforced only in mode 2, shown in every mode.
        public ulong CommitLimit
        {
            get { return stat.TotalFrames * Ratio / 100 + stat.SwapTotal; }
        }

        // Sets vm.overcommit_memory: EINVAL unless 0, 1 or 2 (Linux: proc_dointvec_minmax).
        public Errno SetMode(ulong mode)
        {
            if (mode > (ulong)OvercommitMode.Never)
                return Errno.EINVAL;
            Mode = (OvercommitMode)mode;
            return Errno.None;
        }

        // Sets vm.overcommit_ratio (percent; Linux accepts any non-negative int).
        public Errno SetRatio(ulong ratio)
        {
            if (ratio > int.MaxValue)
                return Errno.EINVAL;
            Ratio = ratio;
            return Errno.None;
        }

        // True when MAP_NORESERVE is honoured (Linux: only when overcommit is allowed).
        public bool HonoursNoReserve { get { return Mode != OvercommitMode.Never; } }

        // Commits `pages` more for `space` (Linux: __vm_enough_memory, as root, so the
        // admin reserve is not held back). Errno.None and the pages are counted, or ENOMEM
        // and nothing changed:
        //   mode 1: always granted;
        //   mode 0: refused when this one request exceeds all RAM plus all swap;
        //   mode 2: refused unless the new total stays below CommitLimit minus the smaller
        //           of the user reserve and 1/32 of `space`'s mapped size (null: none).
        public Errno Charge(AddressSpace space, ulong pages)
        {
            committed += pages;
            if (Mode == OvercommitMode.Always)
                return Errno.None;
            if (Mode == OvercommitMode.Heuristic)
            {
                if (pages <= stat.TotalFrames + stat.SwapTotal)
                    return Errno.None;
            }
            else if (committed < AllowedFor(space))
                return Errno.None;
            committed -= pages;
            return Errno.ENOMEM;
        }

        // Gives back `pages` committed earlier (Linux: vm_unacct_memory). Panics when more
        // is given back than was charged: some path uncharged twice.
        public void Uncharge(ulong pages)
        {
            if (pages > committed)
                Mm.Panic("CommitAccounting.Uncharge: more pages than are committed");
            committed -= pages;
        }

        // Mode 2's ceiling for a request from `space`: CommitLimit less its share of the
        // user reserve (Linux: min(total_vm / 32, user_reserve)). 0 when the reserve
        // swallows the limit (nothing is granted then).
        ulong AllowedFor(AddressSpace space)
        {
            ulong allowed = CommitLimit;
            ulong reserve = 0;
            if (space != null)
            {
                reserve = space.Vmas.TotalPages / 32;
                if (reserve > userReservePages)
                    reserve = userReservePages;
            }
            return allowed > reserve ? allowed - reserve : 0;
        }
    }
}
