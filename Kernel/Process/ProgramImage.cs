using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Syscalls;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // Builds the complete address space of a program (what execve and the first process
    // run): the ELF segments (ElfLoader), the brk start, and a GrowsDown stack VMA below
    // StackTop. As Linux's setup_arg_pages, the stack starts as the arguments' pages plus
    // StackExpand (128 KiB), at most the soft RLIMIT_STACK, and grows on demand up to that
    // limit (AddressSpace.Stack.cs); a touch past the limit is SIGSEGV. It holds, as the
    // System V x86-64 ABI (3.4.1) lays it out from the lowest address: argc, argv[] + NULL,
    // envp[] + NULL, the auxiliary vector (AT_* pairs, AT_NULL last), then the strings and
    // the 16 AT_RANDOM bytes. rsp = &argc, 16-aligned.
    // Nothing of the caller changes: on any error the new space is destroyed.
    public static unsafe class ProgramImage
    {
        public const ulong StackTop = AddressSpace.TaskSize;
        // Linux's stack_expand in setup_arg_pages: room mapped below the arguments at exec.
        private const ulong StackExpand = 128UL << 10;
        private const int RandomBytes = 16;
        private const ulong AtNull = 0, AtPhdr = 3, AtPhent = 4, AtPhnum = 5, AtPagesz = 6, AtEntry = 9,
            AtUid = 11, AtEuid = 12, AtGid = 13, AtEgid = 14, AtHwcap = 16, AtClktck = 17, AtSecure = 23, AtRandom = 25;
        private const int AuxPairs = 14;
        private const int ProgramHeaderEntrySize = 56;
        // Linux's exec_binprm: an interpreter may itself be a script, five levels deep.
        private const int MaxScriptDepth = 5;


        // The result: the new space and the registers the program starts with.
        public struct Result
        {
            public AddressSpace Space;
            public ulong Entry;
            public ulong StackPointer;
            public ulong StackStart;
            // Where the argument and environment strings lie on the new stack, NUL-separated
            // (/proc/<pid>/cmdline and environ read them there, as Linux's arg_start..arg_end
            // and env_start..env_end).
            public ulong ArgStart;
            public ulong ArgEnd;
            public ulong EnvStart;
            public ulong EnvEnd;
        }

        // Loads the file `path` (walked from the directory `start`) with a stack for the soft
        // stack limit `stackLimit`; a "#!" script loads its interpreter instead (ScriptLine),
        // at most MaxScriptDepth scripts deep (ELOOP). 0 or -errno (the path walk's, EACCES,
        // ENOEXEC, ENOMEM).
        public static int Build(Inode start, byte* path, int pathLength, ArgumentList argv, ArgumentList envp, ulong stackLimit, out Result result)
        {
            result = default;
            Inode file;
            byte* line = stackalloc byte[ScriptLine.Size];
            byte* interpreter = stackalloc byte[ScriptLine.Size];
            for (int depth = 0; ; depth++)
            {
                int error = ExecutableLookup.Find(start, path, pathLength, out file);
                if (error != 0)
                    return error;
                int script = ScriptLine.Parse(file, line, out int nameAt, out int nameLength, out int argAt, out int argLength);
                if (script == 0)
                    break;
                if (script < 0)
                    return -(int)Errno.ENOEXEC;
                if (depth == MaxScriptDepth)
                    return -(int)Errno.ELOOP;
                argv = ScriptLine.Arguments(argv, line + nameAt, nameLength, line + argAt, argLength, path, pathLength);
                for (int i = 0; i < nameLength; i++)
                    interpreter[i] = line[nameAt + i];
                path = interpreter;
                pathLength = nameLength;
            }
            return Load(file, argv, envp, stackLimit, out result);
        }

        // Builds the address space of the ELF file `file`.
        private static int Load(Inode file, ArgumentList argv, ArgumentList envp, ulong stackLimit, out Result result)
        {
            result = default;
            byte* header = stackalloc byte[ElfLoader.HeaderSize];
            byte* table = stackalloc byte[ElfLoader.MaxProgramHeaderBytes];
            int error = ElfLoader.ReadHeaders(file, header, table);
            if (error != 0)
                return error;
            AddressSpace space = AddressSpace.Create(KernelMemory.Manager);
            if (space == null)
                return -(int)Errno.ENOMEM;
            ElfLoader.Image image;
            error = ElfLoader.Load(space, file, header, table, out image);
            if (error == 0 && space.SetBrkStart(image.BrkStart) != Errno.None)
                error = -(int)Errno.ENOEXEC;
            ulong sp = 0, stackStart = 0, argStart = 0;
            if (error == 0)
                error = BuildStack(space, argv, envp, image, stackLimit, out sp, out stackStart, out argStart);
            if (error != 0)
            {
                space.Destroy();
                return error;
            }
            result.Space = space;
            result.Entry = image.Entry;
            result.StackPointer = sp;
            result.StackStart = stackStart;
            result.ArgStart = argStart;
            result.ArgEnd = argStart + (ulong)argv.Length;
            result.EnvStart = result.ArgEnd;
            result.EnvEnd = result.EnvStart + (ulong)envp.Length;
            return 0;
        }

        private static int BuildStack(AddressSpace space, ArgumentList argv, ArgumentList envp, ElfLoader.Image image,
            ulong stackLimit, out ulong sp, out ulong stackStart, out ulong argvAt)
        {
            // Strings and random bytes at the top, the words (argc, pointers, auxv) below them.
            ulong stringsSize = (ulong)(argv.Length + envp.Length + RandomBytes);
            ulong stringsAt = (StackTop - stringsSize) & ~15UL;
            argvAt = stringsAt;
            ulong words = 1 + (ulong)argv.Count + 1 + (ulong)envp.Count + 1 + AuxPairs * 2;
            sp = (stringsAt - words * 8) & ~15UL;
            space.StackLimit = stackLimit;
            ulong stackSize = StackSizeFor(stackLimit, StackTop - sp);
            stackStart = StackTop - stackSize;
            long mapped = space.Mmap(stackStart, stackSize, Protection.Read | Protection.Write,
                                     MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace | MapFlags.GrowsDown);
            if (mapped < 0)
                return (int)mapped;
            ulong envpAt = stringsAt + (ulong)argv.Length, randomAt = envpAt + (ulong)envp.Length;
            byte* random = stackalloc byte[RandomBytes];
            RandomSource.Fill(random, RandomBytes);
            int error = CopyOut(space, argvAt, argv.Bytes, argv.Length);
            if (error == 0)
                error = CopyOut(space, envpAt, envp.Bytes, envp.Length);
            if (error == 0)
                error = -(int)UserMemory.CopyToUser(space, randomAt, random, RandomBytes);
            if (error != 0)
                return error;
            WordWriter word = new WordWriter(space, sp);
            word.Put((ulong)argv.Count);
            PutPointers(ref word, argv, argvAt);
            PutPointers(ref word, envp, envpAt);
            PutAux(ref word, image, randomAt);
            return word.Flush();
        }

        // The stack VMA's size at exec: the `needed` bytes of the arguments plus StackExpand,
        // in pages, no more than the limit, but never less than the arguments plus a page for
        // the program's first frames (ExecArguments lets them fill 128 KiB whatever the limit).
        private static ulong StackSizeFor(ulong stackLimit, ulong needed)
        {
            ulong least = Page.AlignDown(needed + Page.OffsetMask) + Page.Size;
            ulong size = least - Page.Size + StackExpand;
            if (size > stackLimit)
                size = Page.AlignDown(stackLimit);
            return size > least ? size : least;
        }

        private static int CopyOut(AddressSpace space, ulong address, byte[] bytes, int length)
        {
            if (length == 0)
                return 0;
            fixed (byte* source = bytes)
                return -(int)UserMemory.CopyToUser(space, address, source, (ulong)length);
        }

        private static void PutAux(ref WordWriter word, ElfLoader.Image image, ulong randomAt)
        {
            Aux(ref word, AtPhdr, image.ProgramHeaders);
            Aux(ref word, AtPhent, ProgramHeaderEntrySize);
            Aux(ref word, AtPhnum, image.ProgramHeaderCount);
            Aux(ref word, AtPagesz, Page.Size);
            Aux(ref word, AtEntry, image.Entry);
            Aux(ref word, AtUid, 0);
            Aux(ref word, AtEuid, 0);
            Aux(ref word, AtGid, 0);
            Aux(ref word, AtEgid, 0);
            Aux(ref word, AtHwcap, 0);
            Aux(ref word, AtClktck, 100);
            Aux(ref word, AtSecure, 0);
            Aux(ref word, AtRandom, randomAt);
            Aux(ref word, AtNull, 0);
        }

        private static void PutPointers(ref WordWriter word, ArgumentList list, ulong stringsAt)
        {
            for (int i = 0; i < list.Count; i++)
                word.Put(stringsAt + (ulong)list.OffsetOf(i));
            word.Put(0);
        }

        private static void Aux(ref WordWriter word, ulong type, ulong value)
        {
            word.Put(type);
            word.Put(value);
        }

        // Writes 64-bit words to consecutive user addresses from `at` up, a batch at a time,
        // so a hundred thousand argv pointers need no kernel buffer of their size.
        private struct WordWriter
        {
            private const int BatchWords = 64;
            private readonly AddressSpace space;
            private ulong at;
            private fixed ulong batch[BatchWords];
            private int count;
            private Errno error;

            public WordWriter(AddressSpace target, ulong address)
            {
                space = target;
                at = address;
                count = 0;
                error = Errno.None;
            }

            public void Put(ulong value)
            {
                if (count == BatchWords)
                    Flush();
                batch[count++] = value;
            }

            // Writes what is batched; 0, or -errno of the first failed write.
            public int Flush()
            {
                fixed (ulong* words = batch)
                    if (count > 0 && error == Errno.None)
                        error = UserMemory.CopyToUser(space, at, (byte*)words, (ulong)count * 8);
                at += (ulong)count * 8;
                count = 0;
                return -(int)error;
            }
        }
    }
}
