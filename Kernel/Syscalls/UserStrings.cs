using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // Copies NUL-terminated strings and pointer arrays out of user memory, page by page
    // through UserMemory (so bad pointers are -EFAULT, never a kernel fault).
    public static unsafe class UserStrings
    {
        // Copies the string at `address` into `buffer` (capacity bytes, without the NUL).
        // Its length, -EFAULT, or -ENAMETOOLONG when it does not fit.
        public static int Copy(AddressSpace space, ulong address, byte* buffer, int capacity)
        {
            int length = 0;
            while (true)
            {
                ulong at = address + (ulong)length;
                int chunk = (int)(Page.Size - (at & Page.OffsetMask));
                if (chunk > capacity - length)
                    chunk = capacity - length;
                if (chunk <= 0)
                    return -(int)Errno.ENAMETOOLONG;
                Errno error = UserMemory.CopyFromUser(space, buffer + length, at, (ulong)chunk);
                if (error != Errno.None)
                    return -(int)error;
                for (int i = 0; i < chunk; i++)
                    if (buffer[length + i] == 0)
                        return length + i;
                length += chunk;
            }
        }

        // The length of the string at `address` when it ends (NUL) within `max` bytes, `max`
        // when it does not, or -EFAULT when its bytes cannot be read first (Linux's
        // strnlen_user, which never reads past `max`).
        public static long Length(AddressSpace space, ulong address, long max)
        {
            const int ChunkSize = 256;
            byte* chunk = stackalloc byte[ChunkSize];
            long length = 0;
            while (length < max)
            {
                ulong at = address + (ulong)length;
                long size = (long)(Page.Size - (at & Page.OffsetMask));
                if (size > ChunkSize) size = ChunkSize;
                if (size > max - length) size = max - length;
                if (UserMemory.CopyFromUser(space, chunk, at, (ulong)size) != Errno.None)
                    return -(long)Errno.EFAULT;
                for (int i = 0; i < size; i++)
                    if (chunk[i] == 0)
                        return length + i;
                length += size;
            }
            return max;
        }
    }
}
