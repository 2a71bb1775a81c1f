namespace Cowbird.Mm.Vm
{
    // mmap's flags argument (Linux x86-64 MAP_* values).
    // Bit flags: combine with |.
    public enum MapFlags
    {
        None = 0,
        Shared = 0x01,
        Private = 0x02,
        // Place the mapping exactly at addr, replacing whatever was mapped there.
        Fixed = 0x10,
        Anonymous = 0x20,
        // The mapping is a stack that grows down on faults below it (private only).
        GrowsDown = 0x100,
        // Lock the mapping as mlock does (VmaFlags.Locked), faulting it in.
        Locked = 0x2000,
        // Do not charge the mapping to overcommit accounting (ignored in mode 2).
        NoReserve = 0x4000,
        // Fault the whole mapping in before mmap returns (errors ignored).
        Populate = 0x8000,
        // With Populate: do not fault anything in after all.
        NonBlock = 0x10000,
        // Place exactly at addr, but fail with EEXIST rather than replace anything.
        FixedNoReplace = 0x100000,
    }
}
