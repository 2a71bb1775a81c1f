namespace Cowbird.Tests.Host.Model
{
    // What one model operation does. EXTENSION POINT (with ModelOptions.Mix and
    // ModelStepper.Apply): swap/reclaim adds e.g. ForceReclaim here, a case in
    // ModelStepper.Apply, and puts it in a mix; the reference model needs no change,
    // because reclaim must never change what a process reads.
    public enum OpKind
    {
        Fork,
        Exit,
        Read,
        Write,
        MmapFixed,      // MAP_FIXED, private or shared, any protection
        MmapHint,       // no MAP_FIXED: the address is a hint, used when free
        Munmap,
        Mprotect,
        Mremap,         // Mode 0/1: shrink or grow in place; Mode 2: MREMAP_MAYMOVE|MREMAP_FIXED move
        Madvise,        // MADV_DONTNEED
        Brk,
        Referenced,     // page_referenced on the frame at AnyPage
        UnmapRestore,   // try_to_unmap of the frame at AnyPage, PTEs put back by hand
    }
}
