namespace Cowbird.Mm.Swap
{
    // The first page of a swap area, exactly as Linux's mkswap writes it
    // (include/linux/swap.h, union swap_header, version 1):
    //
    //   offset    0  bootbits[1024]   left alone (room for a disk label / boot block)
    //   offset 1024  u32 version      must be 1
    //   offset 1028  u32 last_page    index of the last usable page (slots 1..last_page)
    //   offset 1032  u32 nr_badpages  number of entries in badpages[]
    //   offset 1036  u8  sws_uuid[16]
    //   offset 1052  u8  sws_volume[16] (label)
    //   offset 1068  u32 padding[117]
    //   offset 1536  u32 badpages[]   page indexes never to use
    //   offset 4086  "SWAPSPACE2"     magic, the last 10 bytes of the page
    //
    // Fields are little-endian as mkswap on x86 writes them; a header whose version reads
    // 1 only after byte-swapping (written on a big-endian machine) is accepted and
    // swapped, as Linux does.
    public sealed class SwapHeader
    {
        public const int VersionOffset = 1024;
        public const int LastPageOffset = 1028;
        public const int BadPageCountOffset = 1032;
        public const int UuidOffset = 1036;
        public const int VolumeOffset = 1052;
        public const int BadPagesOffset = 1536;
        public const int MagicOffset = BlockDevice.PageSize - MagicLength;
        public const int MagicLength = 10;
        public const int UuidLength = 16;
        public const int VolumeLength = 16;
        public const uint SupportedVersion = 1;
        // Linux's MAX_SWAP_BADPAGES: as many u32s as fit between badpages[] and the magic.
        public const int MaxBadPages = (MagicOffset - BadPagesOffset) / 4;

        public uint Version;
        public uint LastPage;
        public uint[] BadPages;                      // validated: each in 1..LastPage
        public byte[] Uuid = new byte[UuidLength];
        public byte[] Volume = new byte[VolumeLength];

        // Number of slots the area describes, header included: slots 0..LastPage.
        public ulong SlotCount
        {
            get { return (ulong)LastPage + 1; }
        }

        // Validates the header page `page` (PageSize bytes) of a device with `devicePages`
        // pages. On Valid, `header` holds the parsed fields; otherwise it is null and the
        // status says what is wrong. Reads only; never writes `page`.
        public static unsafe SwapHeaderStatus Parse(byte* page, ulong devicePages, out SwapHeader header)
        {
            header = null;
            if (devicePages < 2)
                return SwapHeaderStatus.DeviceTooSmall;
            if (!HasSignature(page + MagicOffset))
                return HasOldSignature(page + MagicOffset) ? SwapHeaderStatus.OldMagic : SwapHeaderStatus.NoMagic;

            bool swapped = false;
            uint version = ReadU32(page, VersionOffset, false);
            if (version != SupportedVersion && ReadU32(page, VersionOffset, true) == SupportedVersion)
                swapped = true;
            else if (version != SupportedVersion)
                return SwapHeaderStatus.UnsupportedVersion;

            uint lastPage = ReadU32(page, LastPageOffset, swapped);
            uint badCount = ReadU32(page, BadPageCountOffset, swapped);
            if (lastPage == 0)
                return SwapHeaderStatus.EmptyArea;
            if (lastPage >= devicePages)
                return SwapHeaderStatus.LastPageBeyondDevice;
            if (badCount > MaxBadPages)
                return SwapHeaderStatus.TooManyBadPages;

            uint[] bad = new uint[badCount];
            for (int i = 0; i < bad.Length; i++)
            {
                bad[i] = ReadU32(page, BadPagesOffset + 4 * i, swapped);
                if (bad[i] == 0 || bad[i] > lastPage)
                    return SwapHeaderStatus.BadPageOutOfRange;
            }
            if (CountDistinctBadPages(bad) >= lastPage)
                return SwapHeaderStatus.NoUsablePages;

            header = new SwapHeader();
            header.Version = SupportedVersion;
            header.LastPage = lastPage;
            header.BadPages = bad;
            CopyIn(page + UuidOffset, header.Uuid);
            CopyIn(page + VolumeOffset, header.Volume);
            return SwapHeaderStatus.Valid;
        }

        // Writes a valid version-1 header into `page` (PageSize bytes): zeroes the page,
        // then fills version, last_page, the bad pages and the magic. `badPages` and
        // `uuid` may be null. Returns 0, or EINVAL if the arguments would make a header
        // Parse refuses (lastPage 0, too many bad pages, a bad page 0 or > lastPage).
        public static unsafe int Format(byte* page, uint lastPage, uint[] badPages, byte[] uuid)
        {
            int badCount = badPages == null ? 0 : badPages.Length;
            if (lastPage == 0 || badCount > MaxBadPages)
                return -(int)Errno.EINVAL;
            for (int i = 0; i < badCount; i++)
                if (badPages[i] == 0 || badPages[i] > lastPage)
                    return -(int)Errno.EINVAL;
            if (uuid != null && uuid.Length != UuidLength)
                return -(int)Errno.EINVAL;

            for (int i = 0; i < BlockDevice.PageSize; i++)
                page[i] = 0;
            WriteU32(page, VersionOffset, SupportedVersion);
            WriteU32(page, LastPageOffset, lastPage);
            WriteU32(page, BadPageCountOffset, (uint)badCount);
            for (int i = 0; i < badCount; i++)
                WriteU32(page, BadPagesOffset + 4 * i, badPages[i]);
            if (uuid != null)
                for (int i = 0; i < UuidLength; i++)
                    page[UuidOffset + i] = uuid[i];
            WriteSignature(page + MagicOffset);
            return 0;
        }

        // Formats a whole device as one swap area (last_page = PageCount - 1), writing the
        // header through `scratch` (PageSize bytes) to page 0. Returns 0 or the device's
        // errno, or EINVAL for a device too small to hold a header and one slot.
        public static unsafe int FormatDevice(BlockDevice device, uint[] badPages, byte* scratch)
        {
            ulong pages = device.PageCount;
            if (pages < 2 || pages - 1 > uint.MaxValue)
                return -(int)Errno.EINVAL;
            int result = Format(scratch, (uint)(pages - 1), badPages, null);
            if (result != 0)
                return result;
            return device.WritePage(0, scratch);
        }

        // Number of different values in `pages` (a header may list a page twice).
        static int CountDistinctBadPages(uint[] pages)
        {
            int distinct = 0;
            for (int i = 0; i < pages.Length; i++)
            {
                bool seen = false;
                for (int j = 0; j < i && !seen; j++)
                    seen = pages[j] == pages[i];
                if (!seen)
                    distinct++;
            }
            return distinct;
        }

        // True when the MagicLength bytes at `p` spell "SWAPSPACE2". (Spelled out byte by
        // byte: a static byte[] initializer would need RuntimeHelpers.InitializeArray,
        // which the kernel's minimal corelib need not provide.)
        static unsafe bool HasSignature(byte* p)
        {
            return p[0] == 'S' && p[1] == 'W' && p[2] == 'A' && p[3] == 'P' && p[4] == 'S' &&
                   p[5] == 'P' && p[6] == 'A' && p[7] == 'C' && p[8] == 'E' && p[9] == '2';
        }

        // True when the bytes at `p` spell "SWAP-SPACE", the version-0 signature.
        static unsafe bool HasOldSignature(byte* p)
        {
            return p[0] == 'S' && p[1] == 'W' && p[2] == 'A' && p[3] == 'P' && p[4] == '-' &&
                   p[5] == 'S' && p[6] == 'P' && p[7] == 'A' && p[8] == 'C' && p[9] == 'E';
        }

        // Writes "SWAPSPACE2" at `p`.
        static unsafe void WriteSignature(byte* p)
        {
            p[0] = (byte)'S'; p[1] = (byte)'W'; p[2] = (byte)'A'; p[3] = (byte)'P'; p[4] = (byte)'S';
            p[5] = (byte)'P'; p[6] = (byte)'A'; p[7] = (byte)'C'; p[8] = (byte)'E'; p[9] = (byte)'2';
        }

        // Copies destination.Length bytes from `p` into `destination`.
        static unsafe void CopyIn(byte* p, byte[] destination)
        {
            for (int i = 0; i < destination.Length; i++)
                destination[i] = p[i];
        }

        // Reads the u32 at page[offset], little-endian, or big-endian when `swapped`.
        static unsafe uint ReadU32(byte* page, int offset, bool swapped)
        {
            byte* p = page + offset;
            if (swapped)
                return ((uint)p[0] << 24) | ((uint)p[1] << 16) | ((uint)p[2] << 8) | p[3];
            return p[0] | ((uint)p[1] << 8) | ((uint)p[2] << 16) | ((uint)p[3] << 24);
        }

        // Writes `value` at page[offset], little-endian.
        static unsafe void WriteU32(byte* page, int offset, uint value)
        {
            byte* p = page + offset;
            p[0] = (byte)value;
            p[1] = (byte)(value >> 8);
            p[2] = (byte)(value >> 16);
            p[3] = (byte)(value >> 24);
        }
    }
}
