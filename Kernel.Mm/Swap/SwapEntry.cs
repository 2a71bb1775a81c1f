namespace Cowbird.Mm.Swap
{
    // Where a swapped-out page lives: (device type, slot). It is stored in the
    // non-present PTE that used to map the page, using the agreed encoding:
    //
    //   63        52 51                         12 11  9 8 7 6 5        1 0
    //   [   zero   ][          slot               ][ 0 ][0][ 0 ][  type  ][0]
    //                                                  ^ ProtNone clear    ^ Present clear
    //
    // Present clear tells the MMU to fault; bit 8 clear tells the fault handler it is not
    // a PROT_NONE mapping (which keeps bit 8 set); non-zero tells it the page was touched.
    // Slot 0 holds the swap header and is never handed out, so a swap PTE is never 0.
    public struct SwapEntry
    {
        public const ulong PresentBit = 1UL << 0;      // Pte.Present
        public const ulong ProtNoneBit = 1UL << 8;     // Pte.ProtNone
        public const int TypeShift = 1;
        public const int TypeBits = 5;
        public const ulong TypeMask = (1UL << TypeBits) - 1;
        public const int SlotShift = 12;
        public const int SlotBits = 40;
        public const ulong SlotMask = (1UL << SlotBits) - 1;
        public const int MaxTypes = 1 << TypeBits;     // 32 swap devices
        public const ulong MaxSlot = SlotMask;

        public readonly int Type;
        public readonly ulong Slot;

        // An entry for slot `slot` of swap device `type`. Panics on a type or slot the
        // PTE encoding cannot hold (a caller bug, not bad input).
        public SwapEntry(int type, ulong slot)
        {
            if (type < 0 || type >= MaxTypes || slot > MaxSlot)
                Mm.Panic("SwapEntry: type or slot out of encodable range");
            Type = type;
            Slot = slot;
        }

        // True when the entry can name a page: slot 0 is the header, never a page.
        public bool IsValid
        {
            get { return Slot != 0; }
        }

        // The non-present PTE value holding this entry. Never 0 for a valid entry.
        public ulong ToPte()
        {
            return ((ulong)Type << TypeShift) | (Slot << SlotShift);
        }

        // True when `pte` holds a swap entry: non-zero, Present clear, ProtNone clear.
        public static bool IsSwapPte(ulong pte)
        {
            return pte != 0 && (pte & PresentBit) == 0 && (pte & ProtNoneBit) == 0;
        }

        // Decodes a PTE for which IsSwapPte is true; panics otherwise (the caller must
        // test first: a present or PROT_NONE PTE holds a frame number, not a slot).
        public static SwapEntry FromPte(ulong pte)
        {
            if (!IsSwapPte(pte))
                Mm.Panic("SwapEntry.FromPte: not a swap PTE");
            int type = (int)((pte >> TypeShift) & TypeMask);
            ulong slot = (pte >> SlotShift) & SlotMask;
            return new SwapEntry(type, slot);
        }

        // Same entry: same device and slot.
        public bool Equals(SwapEntry other)
        {
            return Type == other.Type && Slot == other.Slot;
        }
    }
}
