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
                    return -LinuxErrno.ENAMETOOLONG;
                Errno error = UserMemory.CopyFromUser(space, buffer + length, at, (ulong)chunk);
                if (error != Errno.None)
                    return -(int)error;
                for (int i = 0; i < chunk; i++)
                    if (buffer[length + i] == 0)
                        return length + i;
                length += chunk;
            }
        }

        // Copies the NULL-terminated array of string pointers at `address` (argv or envp;
        // 0 = empty) into `list`. 0, -EFAULT or -E2BIG.
        public static int CopyVector(AddressSpace space, ulong address, Cowbird.Kernel.Processes.ArgumentList list)
        {
            if (address == 0)
                return 0;
            byte* text = stackalloc byte[4096];
            for (ulong i = 0; ; i++)
            {
                ulong pointer;
                if (UserMemory.CopyFromUser(space, (byte*)&pointer, address + i * 8, 8) != Errno.None)
                    return -(int)Errno.EFAULT;
                if (pointer == 0)
                    return 0;
                int length = Copy(space, pointer, text, 4096);
                if (length == -LinuxErrno.ENAMETOOLONG)
                    return -LinuxErrno.E2BIG;
                if (length < 0)
                    return length;
                if (!list.Add(text, length))
                    return -LinuxErrno.E2BIG;
            }
        }
    }
}
