using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Fs.RamFs;
using Cowbird.Kernel.Memory;
using Cowbird.Mm;
using Cowbird.Kernel.Fs.Vfs;

namespace Cowbird.Kernel.Fs
{
    // The initial RAM disk: a cpio "newc" archive (what `cpio -o -H newc` writes) the
    // boot loader loaded as the first module, unpacked into the RAM file system at boot.
    // Each entry: a 110-byte ASCII header "070701" + 13 eight-digit hex fields, the
    // NUL-terminated name (header + name padded to 4 bytes), then the data (padded to 4).
    // The entry named "TRAILER!!!" ends the archive. Directories, regular files (their
    // data copied into frames) and symlinks (the data is the target) are unpacked with
    // their permission bits; other types, and entries whose directory is missing, are
    // skipped. The archive's frames go to the frame allocator as the unpacking passes them
    // (Linux: free_initrd_mem), so a file's copy never needs much more than its own room.
    public static unsafe class Initrd
    {
        private const int HeaderSize = 110;
        private const int ModeField = 1;
        private const int FileSizeField = 6;
        private const int NameSizeField = 11;

        private static byte* s_start;
        private static ulong s_length;
        // The physical address below which the archive's whole frames were given back.
        private static ulong s_releasedUpTo;

        public static bool IsPresent => s_start != null;

        public static void Initialize(byte* start, ulong length)
        {
            s_start = length >= HeaderSize ? start : null;
            s_length = length;
        }

        // Unpacks every entry of the archive into the directory `root`, in archive order
        // (so a directory comes before what it holds, as `find | cpio` writes them).
        public static void Unpack(Inode root)
        {
            if (s_start == null)
                return;
            ulong offset = 0;
            while (offset + HeaderSize <= s_length)
            {
                byte* header = s_start + offset;
                if (!IsMagic(header))
                    break;
                ulong nameSize = Field(header, NameSizeField);
                ulong fileSize = Field(header, FileSizeField);
                byte* name = header + HeaderSize;
                ulong dataOffset = AlignUp4(offset + HeaderSize + nameSize);
                if (nameSize == 0 || dataOffset + fileSize > s_length)
                    break;
                int nameLength = (int)nameSize - 1;
                if (IsTrailer(name, nameLength))
                    break;
                SkipPrefix(ref name, ref nameLength);
                if (nameLength > 0 && nameLength < PathWalk.MaxPath)
                    Add(root, name, nameLength, (uint)Field(header, ModeField), s_start + dataOffset, fileSize);
                offset = AlignUp4(dataOffset + fileSize);
                Release(offset);
            }
            Release(s_length);
        }

        // Gives the archive's whole frames below `offset` that were not given yet to the
        // allocator (a frame the archive shares with other boot data at either end stays).
        private static void Release(ulong offset)
        {
            ulong start = KernelLayout.VirtualToPhysical(s_start);
            if (s_releasedUpTo == 0)
                s_releasedUpTo = start;
            ulong end = start + (offset < s_length ? offset : s_length);
            KernelMemory.ReleaseBootMemory(s_releasedUpTo, end);
            if (Page.AlignDown(end) > s_releasedUpTo)
                s_releasedUpTo = Page.AlignDown(end);
        }

        // One entry: `path` below `root`, of `mode`, with `size` bytes of `data`.
        private static void Add(Inode root, byte* path, int length, uint mode, byte* data, ulong size)
        {
            if (PathWalk.LookupParent(root, path, length, out Inode dir, out int nameAt, out int nameLength,
                    out PathWalk.LastKind kind, out _) != 0 || kind != PathWalk.LastKind.Normal)
                return;
            byte* name = path + nameAt;
            DirEntry existing = Directory.Find(dir, name, nameLength);
            uint type = mode & Inode.TypeMask;
            if (existing != null)
            {
                if (type == Inode.DirectoryType && existing.Node.IsDirectory)
                    existing.Node.Mode = mode;
                return;
            }
            if (type != Inode.DirectoryType && type != Inode.Regular && type != Inode.Symlink)
                return;
            Inode node = FileSystem.Create(dir, name, nameLength, mode & (Inode.TypeMask | Inode.PermissionMask));
            if (type == Inode.Symlink)
                node.Target = Copy(data, size);
            else if (type == Inode.Regular)
                FileContents.Fill(node, data, size);
        }

        private static byte[] Copy(byte* data, ulong size)
        {
            byte[] bytes = new byte[size];
            for (ulong i = 0; i < size; i++)
                bytes[i] = data[i];
            return bytes;
        }

        private static void SkipPrefix(ref byte* name, ref int length)
        {
            while (true)
            {
                if (length > 0 && name[0] == '/') { name++; length--; }
                else if (length > 1 && name[0] == '.' && name[1] == '/') { name += 2; length -= 2; }
                else if (length == 1 && name[0] == '.') { length = 0; return; }
                else return;
            }
        }

        private static bool IsMagic(byte* header)
        {
            return header[0] == '0' && header[1] == '7' && header[2] == '0' && header[3] == '7'
                && header[4] == '0' && header[5] == '1';
        }

        private static bool IsTrailer(byte* name, int length) => PathName.Is(name, length, "TRAILER!!!");

        // Header field `index` (0 = ino): 8 hex digits after the 6-byte magic.
        private static ulong Field(byte* header, int index)
        {
            ulong value = 0;
            byte* digits = header + 6 + index * 8;
            for (int i = 0; i < 8; i++)
            {
                byte c = digits[i];
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
                value = (value << 4) | (uint)digit;
            }
            return value;
        }

        private static ulong AlignUp4(ulong value) => (value + 3) & ~3UL;
    }
}
