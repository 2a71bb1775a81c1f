namespace Cowbird.Kernel.Fs
{
    // The initial RAM disk: a cpio "newc" archive (what `cpio -o -H newc` writes) the
    // boot loader loaded as the first module. Files stay where the loader put them;
    // lookups walk the archive. Each entry: a 110-byte ASCII header "070701" + 13
    // eight-digit hex fields, the NUL-terminated name (header + name padded to 4 bytes),
    // then the data (padded to 4). The entry named "TRAILER!!!" ends the archive.
    public static unsafe class Initrd
    {
        private const int HeaderSize = 110;
        private const int ModeField = 1;
        private const int FileSizeField = 6;
        private const int NameSizeField = 11;
        public const uint ModeTypeMask = 0xF000;
        public const uint ModeDirectory = 0x4000;
        public const uint ModeRegular = 0x8000;

        private static byte* s_start;
        private static ulong s_length;

        public static bool IsPresent => s_start != null;

        public static void Initialize(byte* start, ulong length)
        {
            s_start = length >= HeaderSize ? start : null;
            s_length = length;
        }

        // Finds `path` (absolute or relative, "/" and "./" prefixes ignored).
        // True with its data and mode; false when absent or the archive is malformed.
        public static bool Find(byte* path, int pathLength, out byte* data, out ulong size, out uint mode)
        {
            data = null;
            size = 0;
            mode = 0;
            SkipPrefix(ref path, ref pathLength);
            if (s_start == null)
                return false;
            ulong offset = 0;
            while (offset + HeaderSize <= s_length)
            {
                byte* header = s_start + offset;
                if (!IsMagic(header))
                    return false;
                ulong nameSize = Field(header, NameSizeField);
                ulong fileSize = Field(header, FileSizeField);
                byte* name = header + HeaderSize;
                ulong dataOffset = AlignUp4(offset + HeaderSize + nameSize);
                if (nameSize == 0 || dataOffset + fileSize > s_length)
                    return false;
                int nameLength = (int)nameSize - 1;
                if (IsTrailer(name, nameLength))
                    return false;
                SkipPrefix(ref name, ref nameLength);
                if (Equal(name, nameLength, path, pathLength))
                {
                    data = s_start + dataOffset;
                    size = fileSize;
                    mode = (uint)Field(header, ModeField);
                    return true;
                }
                offset = AlignUp4(dataOffset + fileSize);
            }
            return false;
        }

        // True when some entry lies below `path` (a directory the archive only implies).
        public static bool HasEntriesBelow(byte* path, int pathLength)
        {
            SkipPrefix(ref path, ref pathLength);
            ulong offset = 0;
            while (s_start != null && offset + HeaderSize <= s_length && IsMagic(s_start + offset))
            {
                byte* header = s_start + offset;
                ulong nameSize = Field(header, NameSizeField);
                byte* name = header + HeaderSize;
                int nameLength = (int)nameSize - 1;
                if (nameSize == 0 || IsTrailer(name, nameLength))
                    return false;
                SkipPrefix(ref name, ref nameLength);
                if (nameLength > pathLength && name[pathLength] == '/' && Equal(name, pathLength, path, pathLength))
                    return true;
                offset = AlignUp4(AlignUp4(offset + HeaderSize + nameSize) + Field(header, FileSizeField));
            }
            return false;
        }

        // True when `path` names the root directory ("/", ".", "./", "//", ...), which the
        // archive only implies.
        public static bool IsRoot(byte* path, int length)
        {
            for (int i = 0; i < length; i++)
                if (path[i] != '/' && path[i] != '.')
                    return false;
            return true;
        }

        private static void SkipPrefix(ref byte* name, ref int length)
        {
            while (true)
            {
                if (length > 0 && name[0] == '/') { name++; length--; }
                else if (length > 1 && name[0] == '.' && name[1] == '/') { name += 2; length -= 2; }
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

        private static bool Equal(byte* a, int aLength, byte* b, int bLength)
        {
            if (aLength != bLength)
                return false;
            for (int i = 0; i < aLength; i++)
                if (a[i] != b[i])
                    return false;
            return true;
        }

        private static ulong AlignUp4(ulong value) => (value + 3) & ~3UL;
    }
}
