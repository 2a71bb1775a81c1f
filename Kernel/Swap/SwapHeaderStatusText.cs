using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.Swap
{
    // Words for the boot log: why a swap header was refused (SwapHeaderStatus).
    public static class SwapHeaderStatusText
    {
        // The enum member's name, e.g. "LastPageBeyondDevice" (what a test or a student greps for).
        public static string Name(SwapHeaderStatus status)
        {
            switch (status)
            {
                case SwapHeaderStatus.Valid: return "Valid";
                case SwapHeaderStatus.DeviceTooSmall: return "DeviceTooSmall";
                case SwapHeaderStatus.ReadFailed: return "ReadFailed";
                case SwapHeaderStatus.OldMagic: return "OldMagic";
                case SwapHeaderStatus.NoMagic: return "NoMagic";
                case SwapHeaderStatus.UnsupportedVersion: return "UnsupportedVersion";
                case SwapHeaderStatus.EmptyArea: return "EmptyArea";
                case SwapHeaderStatus.LastPageBeyondDevice: return "LastPageBeyondDevice";
                case SwapHeaderStatus.TooManyBadPages: return "TooManyBadPages";
                case SwapHeaderStatus.BadPageOutOfRange: return "BadPageOutOfRange";
                case SwapHeaderStatus.NoUsablePages: return "NoUsablePages";
                default: return "Unknown";
            }
        }

        // One sentence a person understands.
        public static string Reason(SwapHeaderStatus status)
        {
            switch (status)
            {
                case SwapHeaderStatus.Valid: return "a valid version-1 swap header";
                case SwapHeaderStatus.DeviceTooSmall: return "the disk is smaller than two pages";
                case SwapHeaderStatus.ReadFailed: return "page 0 could not be read";
                case SwapHeaderStatus.OldMagic: return "SWAP-SPACE is the old version-0 format, run mkswap again";
                case SwapHeaderStatus.NoMagic: return "no SWAPSPACE2 signature at offset 4086";
                case SwapHeaderStatus.UnsupportedVersion: return "the header version is not 1";
                case SwapHeaderStatus.EmptyArea: return "last_page is 0";
                case SwapHeaderStatus.LastPageBeyondDevice: return "last_page lies beyond the end of the disk";
                case SwapHeaderStatus.TooManyBadPages: return "nr_badpages is larger than the header can hold";
                case SwapHeaderStatus.BadPageOutOfRange: return "a bad-page entry is 0 or beyond last_page";
                case SwapHeaderStatus.NoUsablePages: return "every page is listed as bad";
                default: return "unknown status";
            }
        }
    }
}
