using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // getrandom and reads of /dev/random and /dev/urandom (Linux: drivers/char/random.c).
    // Cowbird's generator (RandomSource) is ready from boot, so no call ever blocks and
    // getrandom's flags only choose errors.
    public static unsafe class RandomSyscalls
    {
        private const uint GrndNonblock = 1, GrndRandom = 2, GrndInsecure = 4;
        // A read's largest count (MAX_RW_COUNT: INT_MAX rounded down to a page).
        private const ulong MaxCount = 0x7ffff000;
        private const int ChunkSize = 256;

        // getrandom(buf, count, flags): the number of bytes written, or -errno. Unknown flags,
        // and GRND_INSECURE with GRND_RANDOM, are EINVAL; a buffer reaching past user space is
        // EFAULT; a fault part way returns the bytes written before it (each piece ends at a
        // page boundary, so that is exactly up to the first unwritable page).
        public static long Getrandom(Process process, ulong address, ulong count, uint flags)
        {
            if ((flags & ~(GrndNonblock | GrndRandom | GrndInsecure)) != 0)
                return -(long)Errno.EINVAL;
            if ((flags & (GrndInsecure | GrndRandom)) == (GrndInsecure | GrndRandom))
                return -(long)Errno.EINVAL;
            if (count > MaxCount)
                count = MaxCount;
            if (address + count < address || address + count > AddressSpace.TaskSize)
                return -(long)Errno.EFAULT;
            return FillUser(process, address, count);
        }

        // Writes `count` random bytes at `address`: the count, or, when a page cannot be
        // written, the bytes written before it (-EFAULT when none).
        public static long FillUser(Process process, ulong address, ulong count)
        {
            byte* chunk = stackalloc byte[ChunkSize];
            ulong written = 0;
            while (written < count)
            {
                ulong at = address + written;
                ulong piece = Page.Size - (at & Page.OffsetMask);
                if (piece > ChunkSize)
                    piece = ChunkSize;
                if (piece > count - written)
                    piece = count - written;
                RandomSource.Fill(chunk, (int)piece);
                if (UserMemory.CopyToUser(process.Space, at, chunk, piece) != Errno.None)
                    return written != 0 ? (long)written : -(long)Errno.EFAULT;
                written += piece;
            }
            return (long)written;
        }
    }
}
