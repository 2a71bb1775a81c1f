namespace Cowbird.Mm.Vm
{
    // Kind of a VMA (Linux: the VM_SHARED part of vm_flags; private is its absence).
    // Bit flags: combine with |.
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
        // A stack: a fault just below it grows it down (Linux: VM_GROWSDOWN;
        // AddressSpace.Stack.cs). Set by exec's stack and by mmap's MAP_GROWSDOWN.
        GrowsDown = 64,
    }
}
