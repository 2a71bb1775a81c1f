using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Syscalls;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // Builds the complete address space of a program (what execve and the first process
    // run): the ELF segments (ElfLoader), the brk start, and an 8 MiB stack VMA below
    // StackTop holding, as the System V x86-64 ABI (3.4.1) lays it out from the lowest
    // address: argc, argv[] + NULL, envp[] + NULL, the auxiliary vector (AT_* pairs,
    // AT_NULL last), then the strings and the 16 AT_RANDOM bytes. rsp = &argc, 16-aligned.
    // Nothing of the caller changes: on any error the new space is destroyed.
    public static unsafe class ProgramImage
    {
        public const ulong StackTop = AddressSpace.TaskSize;
        public const ulong StackSize = 8UL << 20;
        private const int RandomBytes = 16;
        private const ulong AtNull = 0, AtPhdr = 3, AtPhent = 4, AtPhnum = 5, AtPagesz = 6, AtEntry = 9,
            AtUid = 11, AtEuid = 12, AtGid = 13, AtEgid = 14, AtHwcap = 16, AtClktck = 17, AtSecure = 23, AtRandom = 25;
        private const int AuxPairs = 14;
        private const int ProgramHeaderEntrySize = 56;

        private static ulong s_random;

        // The result: the new space and the registers the program starts with.
        public struct Result
        {
            public AddressSpace Space;
            public ulong Entry;
            public ulong StackPointer;
            public ulong StackStart;
        }

        // Loads the initrd file `path`. 0 or -errno (ENOENT, EACCES, ENOEXEC, ENOMEM, E2BIG).
        public static int Build(byte* path, int pathLength, ArgumentList argv, ArgumentList envp, out Result result)
        {
            result = default;
            byte* file;
            ulong size;
            uint mode;
            if (!Initrd.Find(path, pathLength, out file, out size, out mode))
                return Initrd.HasEntriesBelow(path, pathLength) ? -(int)Errno.EACCES : -(int)Errno.ENOENT;
            if ((mode & Initrd.ModeTypeMask) != Initrd.ModeRegular)
                return -(int)Errno.EACCES;
            int error = ElfLoader.Validate(file, size);
            if (error != 0)
                return error;
            AddressSpace space = AddressSpace.Create(KernelMemory.Manager);
            if (space == null)
                return -(int)Errno.ENOMEM;
            ElfLoader.Image image;
            error = ElfLoader.Load(space, file, size, out image);
            if (error == 0 && space.SetBrkStart(image.BrkStart) != Errno.None)
                error = -LinuxErrno.ENOEXEC;
            ulong sp = 0;
            if (error == 0)
                error = BuildStack(space, argv, envp, image, out sp);
            if (error != 0)
            {
                space.Destroy();
                return error;
            }
            result.Space = space;
            result.Entry = image.Entry;
            result.StackPointer = sp;
            result.StackStart = StackTop - StackSize;
            return 0;
        }

        private static int BuildStack(AddressSpace space, ArgumentList argv, ArgumentList envp, ElfLoader.Image image, out ulong sp)
        {
            sp = 0;
            long mapped = space.Mmap(StackTop - StackSize, StackSize, Protection.Read | Protection.Write,
                                     MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace);
            if (mapped < 0)
                return (int)mapped;
            // Strings and random bytes at the top.
            ulong stringsSize = (ulong)(argv.Length + envp.Length + RandomBytes);
            ulong stringsAt = (StackTop - stringsSize) & ~15UL;
            ulong words = 1 + (ulong)argv.Count + 1 + (ulong)envp.Count + 1 + AuxPairs * 2;
            ulong total = StackTop - stringsAt + words * 8;
            if (total > StackSize / 4)
                return -LinuxErrno.E2BIG;
            sp = (stringsAt - words * 8) & ~15UL;
            byte[] block = new byte[(int)(StackTop - sp)];
            fixed (byte* buffer = block)
            {
                ulong* word = (ulong*)buffer;
                byte* strings = buffer + (stringsAt - sp);
                ulong argvAt = stringsAt, envpAt = stringsAt + (ulong)argv.Length, randomAt = envpAt + (ulong)envp.Length;
                for (int i = 0; i < argv.Length; i++) strings[i] = argv.Bytes[i];
                for (int i = 0; i < envp.Length; i++) strings[argv.Length + i] = envp.Bytes[i];
                FillRandom(strings + argv.Length + envp.Length, RandomBytes);
                int n = 0;
                word[n++] = (ulong)argv.Count;
                n = PutPointers(word, n, argv, argvAt);
                n = PutPointers(word, n, envp, envpAt);
                n = Aux(word, n, AtPhdr, image.ProgramHeaders);
                n = Aux(word, n, AtPhent, ProgramHeaderEntrySize);
                n = Aux(word, n, AtPhnum, image.ProgramHeaderCount);
                n = Aux(word, n, AtPagesz, Page.Size);
                n = Aux(word, n, AtEntry, image.Entry);
                n = Aux(word, n, AtUid, 0);
                n = Aux(word, n, AtEuid, 0);
                n = Aux(word, n, AtGid, 0);
                n = Aux(word, n, AtEgid, 0);
                n = Aux(word, n, AtHwcap, 0);
                n = Aux(word, n, AtClktck, 100);
                n = Aux(word, n, AtSecure, 0);
                n = Aux(word, n, AtRandom, randomAt);
                Aux(word, n, AtNull, 0);
                Errno copied = UserMemory.CopyToUser(space, sp, buffer, StackTop - sp);
                if (copied != Errno.None)
                    return -(int)copied;
            }
            return 0;
        }

        private static int PutPointers(ulong* word, int n, ArgumentList list, ulong stringsAt)
        {
            int offset = 0;
            for (int i = 0; i < list.Count; i++)
            {
                word[n++] = stringsAt + (ulong)offset;
                offset += list.LengthAt(offset) + 1;
            }
            word[n++] = 0;
            return n;
        }

        private static int Aux(ulong* word, int n, ulong type, ulong value)
        {
            word[n] = type;
            word[n + 1] = value;
            return n + 2;
        }

        // xorshift64, seeded once from the time-stamp counter: AT_RANDOM needs
        // unpredictable-enough bytes (musl's stack protector canary), not crypto.
        private static void FillRandom(byte* target, int count)
        {
            if (s_random == 0)
                s_random = UserModeCpu.ReadTsc() | 1;
            for (int i = 0; i < count; i++)
            {
                s_random ^= s_random << 13;
                s_random ^= s_random >> 7;
                s_random ^= s_random << 17;
                target[i] = (byte)s_random;
            }
        }
    }
}
