namespace Cowbird.Mm.Vm
{
    // Kind of a VMA and the madvise flags it carries (Linux: vm_flags). Two adjacent VMAs
    // merge only when their flags are equal, so madvise on part of a VMA splits it as on
    // Linux. Bit flags: combine with |.
    public enum VmaFlags
    {
        None = 0,
        // Private: writes are copy-on-write after fork, pages belong to an anon_vma.
        Private = 1,
        // Shared: every process mapping it sees the same pages (MAP_SHARED|MAP_ANONYMOUS).
        Shared = 2,
        // Not backed by a file: pages start zeroed.
        Anonymous = 4,
        // The brk heap (grown and shrunk by AddressSpace.Brk).
        Heap = 8,
        // Charged to CommitAccounting for its whole length (Linux: VM_ACCOUNT): private
        // writable mappings and the heap. Removing the VMA (or part of it) uncharges.
        Account = 16,
        // mmap had MAP_NORESERVE and the overcommit mode honoured it (Linux:
        // VM_NORESERVE): never charged, not even when mprotect makes it writable.
        NoReserve = 32,
        // MADV_DONTFORK (Linux: VM_DONTCOPY): fork gives the child no mapping here.
        DontCopy = 64,
        // MADV_WIPEONFORK (Linux: VM_WIPEONFORK; private anonymous only): the child's copy
        // of the VMA starts empty and reads zeros. The child keeps the flag.
        WipeOnFork = 128,
        // MADV_SEQUENTIAL / MADV_RANDOM (Linux: VM_SEQ_READ / VM_RAND_READ): read-ahead hints.
        SequentialRead = 256,
        RandomRead = 512,
        // MADV_DONTDUMP (Linux: VM_DONTDUMP): left out of core dumps (Cowbird writes none).
        DontDump = 1024,
        // MADV_HUGEPAGE / MADV_NOHUGEPAGE (Linux: VM_HUGEPAGE / VM_NOHUGEPAGE): hints only,
        // Cowbird maps 4 KiB pages.
        HugePage = 2048,
        NoHugePage = 4096,
        // MADV_MERGEABLE (Linux: VM_MERGEABLE, private mappings only): a hint for KSM,
        // which Cowbird does not have.
        Mergeable = 8192,
        // A stack: a fault just below it grows it down (Linux: VM_GROWSDOWN;
        // AddressSpace.Stack.cs). Set by exec's stack and by mmap's MAP_GROWSDOWN.
        GrowsDown = 16384,
        // mlock, mlock2, mlockall or MAP_LOCKED (Linux: VM_LOCKED): the pages are faulted
        // in and reclaim never evicts them (TryToUnmap refuses; AddressSpace.Mlock.cs).
        // Fork does not copy it.
        Locked = 32768,
        // mlock2(MLOCK_ONFAULT) or mlockall(MCL_ONFAULT) (Linux: VM_LOCKONFAULT, only ever
        // with Locked): the pages are locked as they are faulted in, not faulted in at once.
        LockOnFault = 65536,
    }
}
