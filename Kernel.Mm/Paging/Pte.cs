namespace Cowbird.Mm.Paging
{
    // One x86-64 page-table entry, in the hardware format (Intel SDM vol. 3, 4.5).
    // The same 64-bit format is used at every level; at the leaf (PT) level it maps a
    // 4 KiB frame. Encoding agreed for the whole project:
    //   bit 0 Present, 1 Writable, 2 User, 3 WriteThrough, 4 CacheDisable, 5 Accessed,
    //   6 Dirty, 7 PageSize, 8 Global, 9-11 software, 12-51 frame number,
    //   52-58 software, 63 NoExecute.
    // The kernel's boot stub (Kernel/Arch/X64/Boot.S) uses the same names through Pte.inc,
    // which the build generates from this file (Kernel/Build/pte-equates.sh): keep the
    // bits written as `1UL << N` or as literals, the forms the generator reads.
    // Non-present user leaf entries:
    //   0                              none: never touched (demand-zero on fault)
    //   Present clear, ProtNone set    a frame kept by a PROT_NONE VMA; frame in 12-51
    //   Present clear, ProtNone clear, non-zero
    //                                  a swap entry: type in bits 1-5, slot in 12-51
    //                                  (slot 0 is the swap header, so never 0)
    public readonly struct Pte
    {
        public const ulong Present = 1UL << 0;
        public const ulong Writable = 1UL << 1;
        public const ulong User = 1UL << 2;
        public const ulong WriteThrough = 1UL << 3;
        public const ulong CacheDisable = 1UL << 4;
        public const ulong Accessed = 1UL << 5;
        public const ulong Dirty = 1UL << 6;
        public const ulong PageSize = 1UL << 7;
        public const ulong Global = 1UL << 8;
        // Linux's _PAGE_PROTNONE: reuses the Global bit, meaningful only when not present.
        public const ulong ProtNone = 1UL << 8;
        public const ulong NoExecute = 1UL << 63;

        public const int FrameShift = 12;
        public const ulong FrameMask = 0x000F_FFFF_FFFF_F000UL;
        // Swap entries: device type in bits 1-5 (32 devices), slot in the frame field.
        public const int SwapTypeShift = 1;
        public const ulong SwapTypeMask = 0x1FUL << SwapTypeShift;

        // Flags of an intermediate (PML4/PDPT/PD) entry: permissions are decided at the leaf.
        public const ulong TableFlags = Present | Writable | User;

        public readonly ulong Raw;

        public Pte(ulong raw) { Raw = raw; }

        public static readonly Pte NoneEntry = new Pte(0);

        // A present entry mapping frame `pfn` with `flags` (Present is added).
        public static Pte Map(ulong pfn, ulong flags)
        {
            return new Pte(((pfn << FrameShift) & FrameMask) | flags | Present);
        }

        public bool IsNone { get { return Raw == 0; } }
        public bool IsPresent { get { return (Raw & Present) != 0; } }
        public bool IsProtNone { get { return (Raw & (Present | ProtNone)) == ProtNone; } }
        public bool IsSwap { get { return Raw != 0 && (Raw & (Present | ProtNone)) == 0; } }
        // Holds a frame: present, or PROT_NONE (which keeps its frame).
        public bool HasFrame { get { return IsPresent || IsProtNone; } }

        public bool IsWritable { get { return (Raw & Writable) != 0; } }
        public bool IsUser { get { return (Raw & User) != 0; } }
        public bool IsAccessed { get { return (Raw & Accessed) != 0; } }
        public bool IsDirty { get { return (Raw & Dirty) != 0; } }
        public bool IsNoExecute { get { return (Raw & NoExecute) != 0; } }

        // The frame number (for present, PROT_NONE and table entries) or swap slot.
        public ulong Frame { get { return (Raw & FrameMask) >> FrameShift; } }

        public Pte With(ulong bits) { return new Pte(Raw | bits); }
        public Pte Without(ulong bits) { return new Pte(Raw & ~bits); }
    }
}
