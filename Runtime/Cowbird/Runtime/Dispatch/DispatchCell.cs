using System.Runtime.InteropServices;
using Internal.Runtime;

namespace Cowbird.Runtime.Dispatch
{
    // One interface call site's 16-byte cell in .data (16-byte aligned), as ILC
    // emits it: Stub = RhpInitialDynamicInterfaceDispatch, Cache = a tagged
    // 32-bit pointer (relative to the Cache field) to the interface MethodTable.
    // The slot is not in the cell: cells come in runs sorted by slot, each run
    // closed by a terminator cell {Stub = 0, Cache = slot | cellType << 16}.
    // Once resolved, Cache holds a DispatchCacheBlock (32-byte aligned: tag 0).
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct DispatchCell
    {
        internal void* Stub;
        internal ulong Cache;

        private const ulong TagMask = 3;
        private const ulong TagAbsolute = 1;
        private const ulong TagRelativeIndirection = 2;
        private const ulong TagRelative = 3;
        private const ulong CellTypeInterfaceAndSlot = 0;

        internal bool HasCacheBlock => (Cache & TagMask) == 0;

        internal DispatchCacheBlock* CacheBlock => (DispatchCacheBlock*)Cache;

        // The interface MethodTable named by a cell in its initial state.
        internal MethodTable* DecodeInterface()
        {
            fixed (ulong* field = &Cache)
            {
                ulong tag = Cache & TagMask;
                byte* relative = (byte*)field + (int)(uint)Cache;
                if (tag == TagRelative)
                    return (MethodTable*)((ulong)relative & ~TagMask);
                if (tag == TagRelativeIndirection)
                    return *(MethodTable**)((ulong)relative & ~TagMask);
                if (tag == TagAbsolute)
                    return (MethodTable*)(Cache & ~TagMask);
            }
            RuntimePanic.Fail("DispatchCell.DecodeInterface: unknown cell encoding");
            return null;
        }

        // The interface slot: stored in the terminator cell closing this cell's run.
        internal ushort FindSlot()
        {
            fixed (DispatchCell* self = &this)
            {
                DispatchCell* cell = self;
                while (cell->Stub != null)
                    cell++;
                if (((cell->Cache >> 16) & 0xFFFF) != CellTypeInterfaceAndSlot)
                    RuntimePanic.Fail("DispatchCell.FindSlot: metadata-token cells are not supported");
                return (ushort)cell->Cache;
            }
        }
    }

    // A resolved cell's monomorphic cache, read by cowbird_interface_dispatch_cached:
    // if the object's MethodTable is Type, jump to Target (offsets 16 and 24 are
    // part of the stub's contract). Interface and Slot keep what the cell held.
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct DispatchCacheBlock
    {
        internal MethodTable* Interface;
        internal ulong Slot;
        internal MethodTable* Type;
        internal void* Target;
    }
}
