namespace Cowbird.Mm.Swap
{
    // Why a swap header was accepted or refused. Linux turns every refusal into -EINVAL
    // and prints a message; Cowbird returns the reason so swapon can say which.
    public enum SwapHeaderStatus
    {
        Valid,
        DeviceTooSmall,        // fewer than 2 pages: no room for a header and a slot
        ReadFailed,            // the block device could not read page 0
        OldMagic,              // "SWAP-SPACE": the version-0 bitmap format, unsupported since Linux 2.5
        NoMagic,               // neither signature at offset 4086: not a swap area
        UnsupportedVersion,    // info.version is not 1
        EmptyArea,             // info.last_page is 0: no page after the header
        LastPageBeyondDevice,  // info.last_page names a page the device does not have
        TooManyBadPages,       // info.nr_badpages > SwapHeader.MaxBadPages
        BadPageOutOfRange,     // a badpages[] entry is 0 (the header) or > last_page
        NoUsablePages,         // every page after the header is bad
    }
}
