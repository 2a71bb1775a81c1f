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
    // file, segments outside user space) is -ENOEXEC, before anything is mapped.
    // Layout: System V ABI / ELF-64 Object File Format (Elf64_Ehdr 64 bytes, Elf64_Phdr 56).
    public static unsafe class ElfLoader
    {
        private const int HeaderSize = 64;
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
        private const int ENOEXEC = LinuxErrno.ENOEXEC;

        // What the stack builder needs to know about a loaded program (the auxv).
        public struct Image
        {
            public ulong Entry;
            public ulong ProgramHeaders;     // AT_PHDR: where the phdrs are in memory
            public ulong ProgramHeaderCount;
            public ulong BrkStart;
        }

        // Checks the file only: 0 or -ENOEXEC.
        public static int Validate(byte* file, ulong size)
        {
            if (size < HeaderSize || file[0] != 0x7F || file[1] != 'E' || file[2] != 'L' || file[3] != 'F'
                || file[4] != ClassElf64 || file[5] != DataLittleEndian
                || *(ushort*)(file + 16) != TypeExecutable || *(ushort*)(file + 18) != MachineX86_64
                || *(ushort*)(file + 54) != ProgramHeaderSize)
                return -ENOEXEC;
            ulong entry = *(ulong*)(file + 24);
            ulong phoff = *(ulong*)(file + 32);
            ulong phnum = *(ushort*)(file + 56);
            // The entry must be a user address: ring 3 is entered with iretq/sysret, which
            // fault in the kernel on a non-canonical rip. (Unmapped is fine: SIGSEGV.)
            if (entry >= AddressSpace.MmapTop || phnum == 0 || phoff > size || phnum * ProgramHeaderSize > size - phoff)
                return -ENOEXEC;
            int loads = 0;
            for (ulong i = 0; i < phnum; i++)
            {
                byte* ph = file + phoff + i * ProgramHeaderSize;
                if (*(uint*)ph != SegmentLoad)
                    continue;
                ulong offset = *(ulong*)(ph + 8), vaddr = *(ulong*)(ph + 16);
                ulong filesz = *(ulong*)(ph + 32), memsz = *(ulong*)(ph + 40);
                if (offset > size || filesz > size - offset || filesz > memsz
                    || vaddr < AddressSpace.MmapMin || memsz > AddressSpace.MmapTop || vaddr > AddressSpace.MmapTop - memsz
                    || (vaddr & Page.OffsetMask) != (offset & Page.OffsetMask))
                    return -ENOEXEC;
                loads++;
            }
            return loads == 0 ? -ENOEXEC : 0;
        }

        // Maps and fills the segments of a file Validate accepted. 0, or -ENOMEM.
        public static int Load(AddressSpace space, byte* file, ulong size, out Image image)
        {
            image = default;
            image.Entry = *(ulong*)(file + 24);
            ulong phoff = *(ulong*)(file + 32);
            ulong phnum = *(ushort*)(file + 56);
            image.ProgramHeaderCount = phnum;
            ulong highest = 0;
            for (ulong i = 0; i < phnum; i++)
            {
                byte* ph = file + phoff + i * ProgramHeaderSize;
                uint type = *(uint*)ph;
                ulong offset = *(ulong*)(ph + 8), vaddr = *(ulong*)(ph + 16);
                ulong filesz = *(ulong*)(ph + 32), memsz = *(ulong*)(ph + 40);
                if (type == SegmentPhdr)
                    image.ProgramHeaders = vaddr;
                if (type != SegmentLoad)
                    continue;
                if (image.ProgramHeaders == 0 && phoff >= offset && phoff < offset + filesz)
                    image.ProgramHeaders = vaddr + (phoff - offset);
                int error = MapSegment(space, file + offset, vaddr, filesz, memsz, ProtectionOf(*(uint*)(ph + 4)));
                if (error != 0)
                    return error;
                if (vaddr + memsz > highest)
                    highest = vaddr + memsz;
            }
            image.BrkStart = (highest + Page.OffsetMask) & ~Page.OffsetMask;
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

        // One PT_LOAD: the VMA over its pages (a first page shared with the previous
        // segment keeps that segment's VMA), then its file bytes.
        private static int MapSegment(AddressSpace space, byte* bytes, ulong vaddr, ulong filesz, ulong memsz, Protection prot)
        {
            ulong start = Page.AlignDown(vaddr);
            ulong end = (vaddr + memsz + Page.OffsetMask) & ~Page.OffsetMask;
            if (space.FindVma(start) != null)
                start += Page.Size;
            if (start < end)
            {
                long mapped = space.Mmap(start, end - start, prot, MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace);
                if (mapped < 0)
                    return (int)mapped == -(int)Errno.ENOMEM ? (int)mapped : -ENOEXEC;
            }
            return CopyIn(space, vaddr, bytes, filesz);
        }

        // Copies file bytes into the (new, unshared) pages at `address`, whatever the
        // VMA's protection: each page is faulted in as a read, then written through the
        // direct map. 0 or -ENOMEM.
        private static int CopyIn(AddressSpace space, ulong address, byte* source, ulong length)
        {
            ulong done = 0;
            while (done < length)
            {
                ulong at = address + done;
                ulong chunk = Page.Size - (at & Page.OffsetMask);
                if (chunk > length - done)
                    chunk = length - done;
                Pte pte = space.PageTable.Lookup(Page.AlignDown(at));
                if (!pte.IsPresent)
                {
                    FaultResult result = FaultHandler.Handle(space, at, 0);
                    if (result != FaultResult.Handled)
                        return -(int)Errno.ENOMEM;
                    pte = space.PageTable.Lookup(Page.AlignDown(at));
                }
                byte* target = space.Manager.Physical.Pointer(Page.FrameToAddress(pte.Frame) + (at & Page.OffsetMask), chunk);
                for (ulong i = 0; i < chunk; i++)
                    target[i] = source[done + i];
                done += chunk;
            }
            return 0;
        }
    }
}
