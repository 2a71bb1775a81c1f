namespace Cowbird.Mm.Vm
{
    // Access a mapping allows (Linux PROT_* values, as mmap/mprotect receive them).
    // Bit flags: combine with |.
    public enum Protection
    {
        None = 0,
        Read = 1,
        Write = 2,
        Exec = 4,
        All = Read | Write | Exec,
    }
}
