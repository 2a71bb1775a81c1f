using System.Runtime;
using System.Runtime.CompilerServices;
using Cowbird.Runtime.Heap;
using Internal.Runtime;

namespace Cowbird.Runtime.Dispatch
{
    // Interface calls that ILC could not devirtualise go through a dispatch cell
    // (DispatchCell). The cell starts at RhpInitialDynamicInterfaceDispatch
    // (Native/InterfaceDispatchStubs.S), which saves the argument registers and
    // calls Resolve here; Resolve finds the implementation, records it in the
    // cell's cache block and points the cell at the cached stub; the stub then
    // tail-jumps to the implementation. Next time the cached stub jumps directly
    // when the object has the same type, else it resolves again (a monomorphic
    // cache: a polymorphic site re-resolves on each change of type).
    //
    // Resolution (as NativeAOT's DispatchResolve): walk from the object's type up
    // its base types looking for (interface, slot) in each type's own dispatch
    // map, first among the standard entries, then, if the whole chain has
    // none, among the default-interface-method entries.
    //
    // Invariants: Resolve runs with interrupts off (the stub clears IF), so the
    // cell and its block are rewritten atomically with respect to this CPU; the
    // block's Type is cleared before Target changes, so the cached stub never
    // pairs a type with another type's target. Cache blocks are runtime memory
    // (never collected): one per cell, for the kernel's lifetime, reserved at
    // start-up for every cell found, so resolving (even from an interrupt
    // handler) does not allocate. ILC marks only the start of the cell section;
    // its end is the first 16 bytes that are neither a fresh cell nor a run
    // terminator. Should that count fall short, blocks for further cells come
    // from a runtime page allocated on demand.
    //
    // Not supported (a clear panic): generic variance (IEnumerable<Derived> as
    // IEnumerable<Base>), interface calls on arrays, IDynamicInterfaceCastable,
    // diamond and reabstracted slots, metadata-token cells. Generic virtual
    // methods and static virtuals do not use cells.
    public static unsafe class InterfaceDispatch
    {
        private const int BlocksPerPage = 4096 / 32;
        private const ulong MaxTerminatorValue = 0x3FFFF;    // slot | cellType << 16

        private static DispatchCell* s_cellsStart;
        private static ulong s_cellCount;
        private static DispatchCacheBlock* s_reservedBlocks;
        private static DispatchCacheBlock* s_freeBlocks;
        private static int s_freeBlockCount;

        // Slow-path resolutions and cells switched to the cached stub so far.
        public static ulong Resolutions { get; private set; }
        public static ulong CellsPatched { get; private set; }

        [RuntimeImport("cowbird_interface_dispatch_cached_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void* CachedStubAddress();

        [RuntimeImport("cowbird_dispatch_cells_start")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern DispatchCell* CellsStart();

        [RuntimeImport("cowbird_initial_dispatch_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void* InitialStubAddress();

        // Counts the cells and reserves a cache block for each. Call once, after the heap is up.
        internal static void Initialize()
        {
            s_cellsStart = CellsStart();
            void* initial = InitialStubAddress();
            DispatchCell* cell = s_cellsStart;
            while (cell->Stub == initial || (cell->Stub == null && cell->Cache <= MaxTerminatorValue && cell != s_cellsStart))
                cell++;
            s_cellCount = (ulong)(cell - s_cellsStart);
            if (s_cellCount > 0)
                s_reservedBlocks = (DispatchCacheBlock*)GcHeap.AllocateRuntimeMemory(s_cellCount * (ulong)sizeof(DispatchCacheBlock));
        }

        // Number of dispatch cells found at start-up.
        public static ulong CellCount => s_cellCount;

        // Called by the dispatch stubs with `this` (never null) and the cell; returns the target.
        [RuntimeExport("cowbird_resolve_interface")]
        private static void* Resolve(MethodTable** self, DispatchCell* cell)
        {
            MethodTable* type = *self;
            DispatchCacheBlock* block;
            if (cell->HasCacheBlock)
                block = cell->CacheBlock;
            else
            {
                block = BlockFor(cell);
                block->Interface = cell->DecodeInterface();
                block->Slot = cell->FindSlot();
            }
            void* target = FindImplementation(type, block->Interface, (ushort)block->Slot);
            block->Type = null;
            block->Target = target;
            block->Type = type;
            if (!cell->HasCacheBlock)
            {
                cell->Cache = (ulong)block;
                cell->Stub = CachedStubAddress();
                CellsPatched++;
            }
            Resolutions++;
            return target;
        }

        [RuntimeExport("cowbird_dispatch_on_null")]
        private static void DispatchOnNull()
        {
            RuntimePanic.Fail("interface call on a null reference");
        }

        // The cell's reserved block, or a new one carved from a runtime page.
        private static DispatchCacheBlock* BlockFor(DispatchCell* cell)
        {
            ulong index = (ulong)(cell - s_cellsStart);
            if (cell >= s_cellsStart && index < s_cellCount)
                return s_reservedBlocks + index;
            if (s_freeBlockCount == 0)
            {
                s_freeBlocks = (DispatchCacheBlock*)GcHeap.AllocateRuntimeMemory(4096);
                s_freeBlockCount = BlocksPerPage;
            }
            s_freeBlockCount--;
            return s_freeBlocks++;
        }

        // The code implementing slot `slot` of `itf` for objects of type `type`.
        internal static void* FindImplementation(MethodTable* type, MethodTable* itf, ushort slot)
        {
            if (type->IsArray)
                RuntimePanic.Fail("InterfaceDispatch: interface calls on arrays are not supported");
            void* target = FindInChain(type, itf, slot, false);
            if (target == null)
                target = FindInChain(type, itf, slot, true);
            if (target == null)
                RuntimePanic.Fail("InterfaceDispatch: no implementation found (generic variance and IDynamicInterfaceCastable are not supported)");
            return target;
        }

        // Searches the dispatch maps of `type` and its base types.
        private static void* FindInChain(MethodTable* type, MethodTable* itf, ushort slot, bool defaultMethods)
        {
            for (MethodTable* owner = type; owner != null; owner = owner->BaseType)
            {
                DispatchMap* map = owner->DispatchMap;
                if (map == null)
                    continue;
                int first = defaultMethods ? map->StandardEntryCount : 0;
                int end = defaultMethods ? map->StandardEntryCount + map->DefaultEntryCount : map->StandardEntryCount;
                DispatchMapEntry* entries = map->Entries;
                for (int i = first; i < end; i++)
                    if (entries[i].InterfaceSlot == slot && owner->InterfaceMap[entries[i].InterfaceIndex] == itf)
                        return ImplementationOf(type, owner, entries[i].ImplementationSlot);
            }
            return null;
        }

        // A vtable slot is read from the object's own type (overrides win); a
        // slot beyond the owner's vtable is in the owner's sealed vtable.
        private static void* ImplementationOf(MethodTable* type, MethodTable* owner, ushort implementationSlot)
        {
            if (implementationSlot == DispatchMapEntry.AmbiguousImplementation || implementationSlot == DispatchMapEntry.Reabstracted)
                RuntimePanic.Fail("InterfaceDispatch: ambiguous (diamond) or reabstracted interface method");
            if (implementationSlot < owner->NumVtableSlots)
                return type->VTable[implementationSlot];
            void* target = owner->SealedVirtualSlot(implementationSlot - owner->NumVtableSlots);
            if (target == null)
                RuntimePanic.Fail("InterfaceDispatch: implementation slot beyond the sealed vtable");
            return target;
        }
    }
}
