using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Cowbird.Runtime;

namespace Cowbird.Kernel.Syscalls
{
    // execve's argv and envp, copied in with Linux's limits (fs/exec.c, prepare_arg_pages and
    // copy_strings), in its order:
    //   1. count argv's pointers, then envp's (EFAULT when the array cannot be read);
    //   2. room = a quarter of the soft RLIMIT_STACK, at most 6 MiB (_STK_LIM / 4 * 3), at
    //      least 128 KiB (ARG_MAX); minus 8 bytes per pointer (an empty argv counts as one):
    //      E2BIG when the pointers alone fill it;
    //   3. the file name, then envp's strings, then argv's, each with its NUL, must fit in what
    //      is left (E2BIG); a string longer than MAX_ARG_STRLEN (131072 bytes with its NUL) is
    //      E2BIG, one that cannot be read EFAULT;
    //   4. an empty argv becomes { "" } (Linux 5.18 and later), so argc is never 0.
    // A NULL argv or envp is an empty one. The strings are measured first and copied second,
    // so the lists are allocated once at their exact size (nothing else runs in between: the
    // kernel is not preemptible and Cowbird has no threads).
    public static unsafe class ExecArguments
    {
        public const int MaxArgStrlen = 32 * 4096;                       // MAX_ARG_STRLEN
        private const ulong ArgMax = 32 * 4096;                          // ARG_MAX
        private const ulong MaxRoom = ResourceLimits.DefaultStack / 4 * 3; // _STK_LIM / 4 * 3
        private const int PointerSize = 8;

        // The bytes argv, envp, their pointers and the file name may take under `stackLimit`.
        public static ulong Room(ulong stackLimit)
        {
            ulong room = stackLimit / 4 < MaxRoom ? stackLimit / 4 : MaxRoom;
            return room > ArgMax ? room : ArgMax;
        }

        // Copies argv and envp of an execve of a `pathLength`-byte file name. 0 or -errno.
        public static int Copy(Process process, int pathLength, ulong argvAddress, ulong envpAddress,
            out ArgumentList argv, out ArgumentList envp)
        {
            argv = envp = null;
            ulong room = Room(process.Limits.Soft(ResourceLimits.Stack));
            ulong maxPointers = room / PointerSize;
            long argc = Count(process.Space, argvAddress, maxPointers);
            if (argc < 0)
                return (int)argc;
            long envc = Count(process.Space, envpAddress, maxPointers);
            if (envc < 0)
                return (int)envc;
            ulong pointers = ((ulong)(argc > 0 ? argc : 1) + (ulong)envc) * PointerSize;
            if (room <= pointers)
                return -(int)Errno.E2BIG;
            long left = (long)(room - pointers) - (pathLength + 1);
            long envBytes = Measure(process.Space, envpAddress, envc, ref left);
            if (envBytes < 0)
                return (int)envBytes;
            long argBytes = Measure(process.Space, argvAddress, argc, ref left);
            if (argBytes < 0)
                return (int)argBytes;
            if (!Gc.EnsureHeadroom((ulong)(envBytes + argBytes + (argc + envc + 1) * 4)))
                return -(int)Errno.ENOMEM;
            envp = new ArgumentList((int)envBytes, (int)envc);
            argv = new ArgumentList(argc > 0 ? (int)argBytes : 1, argc > 0 ? (int)argc : 1);
            CopyStrings(process.Space, envpAddress, envc, envp);
            CopyStrings(process.Space, argvAddress, argc, argv);
            if (argc == 0)
                argv.Added(0);
            return 0;
        }

        // The number of pointers before the NULL in the array at `address` (0 = empty), or
        // -EFAULT; -E2BIG past `max` pointers, which could never fit (so a huge array of
        // non-NULL words is not walked to its end).
        private static long Count(AddressSpace space, ulong address, ulong max)
        {
            if (address == 0)
                return 0;
            for (ulong i = 0; ; i++)
            {
                if (i > max)
                    return -(int)Errno.E2BIG;
                ulong pointer;
                if (UserMemory.CopyFromUser(space, (byte*)&pointer, address + i * PointerSize, PointerSize) != Errno.None)
                    return -(int)Errno.EFAULT;
                if (pointer == 0)
                    return (long)i;
            }
        }

        // The bytes (NULs included) of the `count` strings the array at `address` points to,
        // each taken from `left`; -E2BIG when one is too long or `left` runs out, -EFAULT.
        private static long Measure(AddressSpace space, ulong address, long count, ref long left)
        {
            long total = 0;
            for (long i = 0; i < count; i++)
            {
                ulong pointer = PointerAt(space, address, i);
                long length = UserStrings.Length(space, pointer, MaxArgStrlen);
                if (length < 0)
                    return length;
                long size = length + 1;
                if (size > MaxArgStrlen)
                    return -(int)Errno.E2BIG;
                left -= size;
                if (left < 0)
                    return -(int)Errno.E2BIG;
                total += size;
            }
            return total;
        }

        // Copies the `count` strings Measure accepted into `list`, which has room for them.
        private static void CopyStrings(AddressSpace space, ulong address, long count, ArgumentList list)
        {
            fixed (byte* bytes = list.Bytes)
                for (long i = 0; i < count; i++)
                {
                    int length = UserStrings.Copy(space, PointerAt(space, address, i), bytes + list.Length, list.Bytes.Length - list.Length);
                    list.Added(length);
                }
        }

        private static ulong PointerAt(AddressSpace space, ulong address, long index)
        {
            ulong pointer = 0;
            UserMemory.CopyFromUser(space, (byte*)&pointer, address + (ulong)index * PointerSize, PointerSize);
            return pointer;
        }
    }
}
