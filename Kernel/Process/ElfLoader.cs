using Cowbird.Kernel.Fs.RamFs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Syscalls;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // Loads a static ELF64 x86-64 executable (ET_EXEC) into an empty address space:
    // each PT_LOAD segment becomes a private anonymous VMA with the segment's
    // protections, its file bytes copied in and the rest (BSS) left as demand-zero
    // pages. Anything else (bad magic, 32-bit, another machine, a dynamic or truncated
    // file, segments outside user space, more than a page of program headers) is
    // -ENOEXEC, before anything is mapped. The file is an inode of the RAM file system.
    // Layout: System V ABI / ELF-64 Object File Format (Elf64_Ehdr 64 bytes, Elf64_Phdr 56).
    public static unsafe class ElfLoader
    {
        public const int HeaderSize = 64;
        private const int ProgramHeaderSize = 56;
        private const byte ClassElf64 = 2;
        private const byte DataLittleEndian = 1;
        private const ushort TypeExecutable = 2;
        private const ushort MachineX86_64 = 62;
        private const uint SegmentLoad = 1;
        private const uint SegmentPhdr = 6;
        private const uint FlagExecute = 1;
        private const uint FlagWrite = 2;
        private const uint FlagRead = 4;
        private const int ENOEXEC = (int)Errno.ENOEXEC;

        // What the stack builder needs to know about a loaded program (the auxv).
        public struct Image
        {
            public ulong Entry;
            public ulong ProgramHeaders;     // AT_PHDR: where the phdrs are in memory
            public ulong ProgramHeaderCount;
            public ulong BrkStart;
        }

        // The most program header bytes Linux's load_elf_phdrs accepts (ELF_MIN_ALIGN).
        public const int MaxProgramHeaderBytes = 4096;

        // Reads the ELF header of `file` into `header` (HeaderSize bytes) and its program
        // headers into `table` (MaxProgramHeaderBytes), and checks them: 0 or -ENOEXEC.
        public static int ReadHeaders(Inode file, byte* header, byte* table)
        {
            ulong size = file.Size;
            if (size < HeaderSize)
                return -ENOEXEC;
            file.Pages.Read(0, header, HeaderSize);
            if (header[0] != 0x7F || header[1] != 'E' || header[2] != 'L' || header[3] != 'F'
                || header[4] != ClassElf64 || header[5] != DataLittleEndian
                || *(ushort*)(header + 16) != TypeExecutable || *(ushort*)(header + 18) != MachineX86_64
                || *(ushort*)(header + 54) != ProgramHeaderSize)
                return -ENOEXEC;
            ulong entry = *(ulong*)(header + 24);
            ulong phoff = *(ulong*)(header + 32);
            ulong phnum = *(ushort*)(header + 56);
            // The entry must be a user address: ring 3 is entered with iretq/sysret, which
            // fault in the kernel on a non-canonical rip. (Unmapped is fine: SIGSEGV.)
            if (entry >= AddressSpace.MmapTop || phnum == 0 || phnum * ProgramHeaderSize > MaxProgramHeaderBytes
                || phoff > size || phnum * ProgramHeaderSize > size - phoff)
                return -ENOEXEC;
            file.Pages.Read(phoff, table, phnum * ProgramHeaderSize);
            int loads = 0;
            ulong previousVaddr = 0;
            for (ulong i = 0; i < phnum; i++)
            {
                byte* ph = table + i * ProgramHeaderSize;
                if (*(uint*)ph != SegmentLoad)
                    continue;
                ulong offset = *(ulong*)(ph + 8), vaddr = *(ulong*)(ph + 16);
                ulong filesz = *(ulong*)(ph + 32), memsz = *(ulong*)(ph + 40);
                if (offset > size || filesz > size - offset || filesz > memsz
                    || vaddr < AddressSpace.MmapMin || memsz > AddressSpace.MmapTop || vaddr > AddressSpace.MmapTop - memsz
                    || (vaddr & Page.OffsetMask) != (offset & Page.OffsetMask)
                    || vaddr < previousVaddr)       // the ELF format sorts PT_LOADs by address
                    return -ENOEXEC;
                previousVaddr = vaddr;
                loads++;
            }
            return loads == 0 ? -ENOEXEC : 0;
        }

        // Maps and fills the segments of a file Validate accepted. 0, or -ENOMEM.
        // Two passes: every segment is first mapped writable and filled through
        // UserMemory (the one way the kernel writes user memory), then given its own
        // protection, so a page two segments share can still be filled by the second.
        public static int Load(AddressSpace space, Inode file, byte* header, byte* table, out Image image)
        {
            image = default;
            image.Entry = *(ulong*)(header + 24);
            ulong phoff = *(ulong*)(header + 32);
            ulong phnum = *(ushort*)(header + 56);
            image.ProgramHeaderCount = phnum;
            ulong highest = 0;
            ulong mappedEnd = 0;
            for (ulong i = 0; i < phnum; i++)
            {
                byte* ph = table + i * ProgramHeaderSize;
                uint type = *(uint*)ph;
                ulong offset = *(ulong*)(ph + 8), vaddr = *(ulong*)(ph + 16);
                ulong filesz = *(ulong*)(ph + 32), memsz = *(ulong*)(ph + 40);
                if (type == SegmentPhdr)
                    image.ProgramHeaders = vaddr;
                if (type != SegmentLoad)
                    continue;
                if (image.ProgramHeaders == 0 && phoff >= offset && phoff < offset + filesz)
                    image.ProgramHeaders = vaddr + (phoff - offset);
                int error = MapSegment(space, file, offset, vaddr, filesz, memsz, ref mappedEnd);
                if (error != 0)
                    return error;
                if (vaddr + memsz > highest)
                    highest = vaddr + memsz;
            }
            int protectError = ProtectSegments(space, table, phnum);
            if (protectError != 0)
                return protectError;
            image.BrkStart = (highest + Page.OffsetMask) & ~Page.OffsetMask;
            return 0;
        }

        // The pages a PT_LOAD at [vaddr, vaddr + memsz) gets a VMA for: its own pages,
        // less a first page the previous segment (ending at `mappedEnd`) already covers.
        // Advances `mappedEnd`. Both passes of Load use it, so they agree on the ranges.
        private static void SegmentPages(ulong vaddr, ulong memsz, ref ulong mappedEnd, out ulong start, out ulong end)
        {
            start = Page.AlignDown(vaddr);
            end = (vaddr + memsz + Page.OffsetMask) & ~Page.OffsetMask;
            if (start < mappedEnd)
                start = mappedEnd;
            if (end > mappedEnd)
                mappedEnd = end;
        }

        // Second pass of Load: each segment's pages get the protection its flags ask for.
        private static int ProtectSegments(AddressSpace space, byte* table, ulong phnum)
        {
            ulong mappedEnd = 0;
            for (ulong i = 0; i < phnum; i++)
            {
                byte* ph = table + i * ProgramHeaderSize;
                if (*(uint*)ph != SegmentLoad)
                    continue;
                SegmentPages(*(ulong*)(ph + 16), *(ulong*)(ph + 40), ref mappedEnd, out ulong start, out ulong end);
                if (start < end && space.Mprotect(start, end - start, ProtectionOf(*(uint*)(ph + 4))) != 0)
                    return -(int)Errno.ENOMEM;
            }
            return 0;
        }

        private static Protection ProtectionOf(uint flags)
        {
            Protection prot = Protection.None;
            if ((flags & FlagRead) != 0) prot |= Protection.Read;
            if ((flags & FlagWrite) != 0) prot |= Protection.Write;
            if ((flags & FlagExecute) != 0) prot |= Protection.Exec;
            return prot;
        }

        // One PT_LOAD: a writable VMA over its pages (SegmentPages), then its file bytes,
        // copied a page of the file at a time (holes stay the VMA's zeros).
        private static int MapSegment(AddressSpace space, Inode file, ulong offset, ulong vaddr, ulong filesz, ulong memsz, ref ulong mappedEnd)
        {
            SegmentPages(vaddr, memsz, ref mappedEnd, out ulong start, out ulong end);
            if (start < end)
            {
                long mapped = space.Mmap(start, end - start, Protection.Read | Protection.Write,
                                         MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace);
                if (mapped < 0)
                    return (int)mapped == -(int)Errno.ENOMEM ? (int)mapped : -ENOEXEC;
            }
            for (ulong done = 0; done < filesz; )
            {
                ulong at = offset + done;
                ulong inPage = at & Page.OffsetMask;
                ulong n = FilePages.PieceLength(at, filesz - done);
                byte* page = file.Pages.PageAt(at >> Page.Shift);
                Errno error = page != null ? UserMemory.CopyToUser(space, vaddr + done, page + inPage, n) : Errno.None;
                if (error != Errno.None)
                    return error == Errno.ENOMEM ? -(int)Errno.ENOMEM : -ENOEXEC;
                done += n;
            }
            return 0;
        }
    }
}
