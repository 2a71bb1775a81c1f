namespace Cowbird.Mm.Vm
{
    // mremap's flags argument (Linux MREMAP_* values).
    // Bit flags: combine with |.
    public enum RemapFlags
    {
        None = 0,
        // The mapping may move to a new address when it cannot grow in place.
        MayMove = 1,
        // Move to exactly newAddress, replacing whatever is mapped there (needs MayMove).
        Fixed = 2,
        // Leave the old range mapped but empty after a move (needs MayMove and equal
        // lengths): private memory there faults in zeros again.
        DontUnmap = 4,
    }
}
