namespace Cowbird.Mm.Vm
{
    // Where a private anonymous VMA's page offsets (Vma.PgOff, the Index its pages get)
    // come from: an option of the anon_vma designs, whose walks find a page at
    // Start + (Index - PgOff). The other designs never read PgOff and refuse Reserve
    // (MemoryManager.SetAnonOffsets).
    public enum AnonOffsets
    {
        // Linux: the linear address, PgOff = Start / Page.Size, carried along by splits and
        // mremap moves. Two VMAs merge when their offsets continue across the boundary.
        Linear,
        // Jamie Lokier 2004 ("anon_vma RFC2"): offsets come from a per-address-space
        // counter with room reserved on both sides to grow into; a VMA that cannot grow in
        // its room gets a new piece with new room, and adjacent pieces that cannot merge act
        // as one unit for mremap (an mremap group). AddressSpace.Offsets.cs and
        // AddressSpace.Groups.cs; docs/rmap-designs.md.
        Reserve,
    }

    // The command-line names of AnonOffsets (kernel `rmap_offsets=NAME`, the runner's
    // --rmap-offsets, COWBIRD_RMAP_OFFSETS in the host tests).
    public static class AnonOffsetModes
    {
        // Number of modes (AnonOffsets values are 0 .. Count - 1).
        public const int Count = 2;

        public static string Name(AnonOffsets mode)
        {
            return mode == AnonOffsets.Reserve ? "reserve" : "linear";
        }
    }
}
