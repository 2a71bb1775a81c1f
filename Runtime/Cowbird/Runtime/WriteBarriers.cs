using System.Runtime;

namespace Cowbird.Runtime
{
    // Write barriers: ILC calls these for every store of a reference into the
    // heap, so a generational GC could track cross-generation pointers. The
    // kernel's collector is neither generational nor concurrent, so a barrier is
    // a plain store.
    // (RhpByRefAssignRef has a register-based contract and lives in Native/RuntimeStubs.S.)
    internal static unsafe class WriteBarriers
    {
        [RuntimeExport("RhpAssignRef")]
        private static void RhpAssignRef(void** destination, void* reference) => *destination = reference;

        [RuntimeExport("RhpCheckedAssignRef")]
        private static void RhpCheckedAssignRef(void** destination, void* reference) => *destination = reference;
    }
}
