namespace Cowbird.Mm.Vm
{
    // msync (Linux 6.1: mm/msync.c). It writes a file mapping's dirty pages back to the
    // file. Cowbird's mappings are all anonymous: private ones have no file, and a shared
    // one's object lives in memory only (Linux: shmem, whose fsync does nothing), so there
    // is never anything to write. What is left is Linux's walk of the range, with its
    // errors in its order.
    public sealed partial class AddressSpace
    {
        // msync(address, length, flags). 0, or -errno in Linux's order: EINVAL for unknown
        // flags, an unaligned address, or MS_ASYNC with MS_SYNC; ENOMEM when the range
        // wraps (a length that rounds up to 0 is an empty range: 0). Then the VMAs of the
        // range in order: a hole is ENOMEM at once under MS_ASYNC alone, else it is skipped
        // and reported as ENOMEM at the end; MS_INVALIDATE reaching a Locked VMA is EBUSY;
        // the range running past the last VMA is ENOMEM.
        public int Msync(ulong address, ulong length, int flags)
        {
            const int known = (int)(SyncFlags.Async | SyncFlags.Invalidate | SyncFlags.Sync);
            if ((flags & ~known) != 0 || !Page.IsAligned(address))
                return -(int)Errno.EINVAL;
            if ((flags & (int)SyncFlags.Async) != 0 && (flags & (int)SyncFlags.Sync) != 0)
                return -(int)Errno.EINVAL;
            ulong end = address + WrappingAlignUp(length);
            if (end < address)
                return -(int)Errno.ENOMEM;
            if (end == address)
                return 0;
            int unmappedError = 0;
            Vma vma = Vmas.FindFirstEndingAfter(address);
            while (true)
            {
                if (vma == null)
                    return -(int)Errno.ENOMEM;
                if (address < vma.Start)
                {
                    if (flags == (int)SyncFlags.Async)
                        return -(int)Errno.ENOMEM;
                    address = vma.Start;
                    if (address >= end)
                        return -(int)Errno.ENOMEM;
                    unmappedError = -(int)Errno.ENOMEM;
                }
                if ((flags & (int)SyncFlags.Invalidate) != 0 && (vma.Flags & VmaFlags.Locked) != 0)
                    return -(int)Errno.EBUSY;
                address = vma.End;
                if (address >= end)
                    return unmappedError;
                vma = vma.Next;
            }
        }
    }
}
