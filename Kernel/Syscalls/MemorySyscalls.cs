using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // mmap, mprotect, mremap: argument decoding in front of Kernel.Mm's AddressSpace
    // (munmap, brk and madvise go straight to it from the dispatcher).
    public static class MemorySyscalls
    {
        private const ulong KnownMapFlags = (ulong)(MapFlags.Shared | MapFlags.Private | MapFlags.Fixed
            | MapFlags.Anonymous | MapFlags.FixedNoReplace | MapFlags.NoReserve | MapFlags.GrowsDown
            | MapFlags.Locked | MapFlags.Populate | MapFlags.NonBlock);

        // mmap(addr, length, prot, flags, fd, offset): anonymous memory only; flags Cowbird
        // does not model (MAP_STACK, MAP_HUGETLB, ...) are accepted and ignored as hints.
        public static long Mmap(Process process, ulong address, ulong length, ulong prot, ulong flags, long fd, ulong offset)
        {
            if ((offset & Page.OffsetMask) != 0)
                return -(long)Errno.EINVAL;
            if ((flags & (ulong)MapFlags.Anonymous) == 0 && (fd < 0 || fd > int.MaxValue || process.Files.Get((int)fd) == null))
                return -(long)Errno.EBADF;
            if ((flags & (ulong)MapFlags.Anonymous) == 0)
                return -(long)Errno.ENODEV;
            return process.Space.Mmap(address, length, (Protection)prot, (MapFlags)(flags & KnownMapFlags));
        }

        // mprotect(2): Kernel.Mm checks the arguments, splits and merges VMAs.
        public static long Mprotect(Process process, ulong address, ulong length, ulong prot)
        {
            return process.Space.Mprotect(address, length, (Protection)prot);
        }

        // mremap(2): shrink, grow in place, or move (MREMAP_MAYMOVE / MREMAP_FIXED).
        public static long Mremap(Process process, ulong oldAddress, ulong oldLength, ulong newLength, ulong flags, ulong newAddress)
        {
            return process.Space.Mremap(oldAddress, oldLength, newLength, (RemapFlags)flags, newAddress);
        }
    }
}
