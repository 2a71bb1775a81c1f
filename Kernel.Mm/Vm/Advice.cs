namespace Cowbird.Mm.Vm
{
    // madvise's advice argument (Linux x86-64 values, include/uapi/asm-generic/mman-common.h).
    // Every value Linux 6.1 accepts for anonymous memory is here; MADV_HWPOISON and
    // MADV_SOFT_OFFLINE (memory-failure injection) and MADV_COLLAPSE (transparent huge
    // pages) are not: Cowbird answers EINVAL for them, like a kernel built without
    // CONFIG_MEMORY_FAILURE and CONFIG_TRANSPARENT_HUGEPAGE would for the first two.
    public enum Advice
    {
        Normal = 0,
        Random = 1,
        Sequential = 2,
        WillNeed = 3,
        DontNeed = 4,
        Free = 8,
        Remove = 9,
        DontFork = 10,
        DoFork = 11,
        Mergeable = 12,
        Unmergeable = 13,
        HugePage = 14,
        NoHugePage = 15,
        DontDump = 16,
        DoDump = 17,
        WipeOnFork = 18,
        KeepOnFork = 19,
        Cold = 20,
        PageOut = 21,
        PopulateRead = 22,
        PopulateWrite = 23,
        DontNeedLocked = 24,
    }
}
