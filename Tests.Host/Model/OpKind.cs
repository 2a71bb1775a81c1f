namespace Cowbird.Tests.Host.Model
{
    // What one model operation does. EXTENSION POINT (with ModelOptions.Mix and
    // ModelStepper.Apply): a new kind gets a case in ModelStepper.Apply and a place in a
    // mix. ForceReclaim needs no model rule: reclaim must never change what a process reads.
    public enum OpKind
    {
        Fork,
        Exit,
        Read,
        Write,
        MmapFixed,      // MAP_FIXED, private or shared, any protection
        MmapHint,       // no MAP_FIXED: the address is a hint, used when free
        MmapNoReplace,  // MAP_FIXED_NOREPLACE: EEXIST when any page of the range is mapped
        Munmap,
        Mprotect,
        Mremap,         // Mode 0/1: shrink or grow in place; Mode 2: MREMAP_MAYMOVE|MREMAP_FIXED move
        Madvise,        // MADV_DONTNEED
        Brk,
        Referenced,     // page_referenced on the frame at AnyPage
        UnmapRestore,   // try_to_unmap of the frame at AnyPage, PTEs put back by hand
        MoveVma,        // mremap of the whole VMA at Page to the same offset in the other half of the window
        ForceReclaim,   // the reclaimer asked to free 2 x Count frames (swap-out through the rmap)
    }
}
