namespace Cowbird.Mm.Vm
{
    // A stack that grows down on demand (Linux: expand_downwards in mm/mmap.c).
    //
    // A GrowsDown VMA (the stack exec builds, or mmap with MAP_GROWSDOWN) covers only what
    // has been needed so far. A fault at an address no VMA contains, just below such a VMA,
    // moves the VMA's start down to that page instead of giving SIGSEGV, when:
    //   - the grown VMA is no bigger than StackLimit (RLIMIT_STACK's soft value), and the
    //     space stays within SizeLimit (RLIMIT_AS);
    //   - an accessible VMA below, unless it grows down too, stays StackGuardGap away
    //     (Linux's stack_guard_gap: a runaway stack hits a hole, not someone's heap);
    //   - the growth can be committed (an Account VMA is charged for the new pages);
    //   - under offset reservations (AddressSpace.Offsets.cs), its reservation has the
    //     offsets below PgOff (a stack's fresh reservation has StackLimit of room).
    // Otherwise the fault is SIGSEGV (SEGV_MAPERR), as on Linux. The VMA's PgOff moves down
    // by the pages gained, so every page already in it keeps its linear index, and its
    // anon_vma chains are re-keyed (AdjustVma).
    public sealed partial class AddressSpace
    {
        // RLIMIT_STACK's default soft value (8 MiB), a new space's StackLimit.
        public const ulong DefaultStackLimit = 8UL << 20;
        // Linux's stack_guard_gap: 256 pages.
        public const ulong StackGuardGap = 256UL << Page.Shift;

        // The largest size a GrowsDown VMA may grow to, in bytes (RLIMIT_STACK; the kernel
        // sets it from the process's limit at exec and setrlimit). Fork copies it.
        public ulong StackLimit = DefaultStackLimit;

        // The VMA a user access at `address` belongs to (Linux: find_extend_vma): the one
        // containing it, or the GrowsDown VMA just above it, grown down to cover it.
        // Null when there is none or the stack may not grow (the access is SIGSEGV).
        public Vma FindVmaOrGrowStack(ulong address)
        {
            Vma vma = Vmas.FindFirstEndingAfter(address);
            if (vma == null || vma.Start <= address)
                return vma;
            if ((vma.Flags & VmaFlags.GrowsDown) == 0 || ExpandStack(vma, address) != Errno.None)
                return null;
            return vma;
        }

        // Moves the start of GrowsDown `vma` down to the page holding `address` (below it,
        // in no VMA). Errno.None; EPERM below MmapMin; ENOMEM past StackLimit or SizeLimit, within the
        // guard gap of an accessible VMA below, past its offset reservation, or when the
        // growth cannot be committed.
        // Nothing changes on an error.
        public Errno ExpandStack(Vma vma, ulong address)
        {
            ulong start = Page.AlignDown(address);
            if (start < MmapMin)
                return Errno.EPERM;
            Vma below = vma.Prev;
            if (below != null && (below.Flags & VmaFlags.GrowsDown) == 0 && below.Prot != Protection.None
                && start - below.End < StackGuardGap)
                return Errno.ENOMEM;
            if (vma.End - start > StackLimit)
                return Errno.ENOMEM;
            if (!MayExpand(vma.Start - start))
                return Errno.ENOMEM;
            ulong grow = (vma.Start - start) >> Page.Shift;
            if (!CanGrowOffsetsDown(vma, grow))
                return Errno.ENOMEM;
            if ((vma.Flags & VmaFlags.Account) != 0 && Manager.Commit.Charge(this, grow) != Errno.None)
                return Errno.ENOMEM;
            AdjustVma(vma, start, vma.End, vma.PgOff - grow);
            return Errno.None;
        }
    }
}
