using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace Cowbird.Runtime.Heap
{
    // Mark-sweep collection of GcHeap.
    //
    // Roots:
    //   1. GC statics: every module's GC static region slots (static bases of types
    //      with reference statics).
    //   2. Frozen objects (preinitialized by ILC into .data): their reference
    //      fields may be assigned heap objects at run time.
    //   3. Stacks, scanned conservatively: every 8-byte word that points into an
    //      allocated object (anywhere inside it: interior pointers from `ref`,
    //      `fixed` and spans count) keeps that object alive. The current stack is
    //      scanned from the stack pointer (callee-saved registers are pushed on it
    //      first, by cowbird_gc_collect_here), other registered stacks
    //      (StackRegistry) whole; interrupted register state lives on them.
    // Heap objects are then scanned precisely through their MethodTable's GCDesc.
    // Reachable objects get their Marked bit; the sweep frees the rest.
    //
    // The mark stack has a fixed size. An object marked while it is full is not
    // lost: it stays in its page as pending (marked with its Allocated bit cleared,
    // see PageInfo) and the page joins a list of pending pages, linked through the
    // descriptors; when the stack empties, the first pending page's objects move onto
    // it. Every object is thus queued once and scanned once, however deep or wide
    // the object graph: marking costs time proportional to the live objects and
    // their references, and needs no memory beyond the page descriptors.
    //
    // Invariants: a marked object is on the mark stack, pending in its page, or
    // scanned; a page is on the pending list iff its NextPending is not null, and
    // every page with a pending object is on it; outside Drain the list is empty, so
    // the sweep sees no pending object.
    internal static unsafe class Collector
    {
        private const ulong MarkStackEntries = 4096;    // more than a page's 256 slots (RequeuePendingPage)
        private const int ObjectHeaderSize = 8;

        private static byte** s_markStack;
        private static ulong s_markCount;
        // The pending-page list: its first page (null: empty). The last page's
        // NextPending is ListEnd, so that null means "not on the list".
        private static byte* s_pendingPages;
        private const ulong ListEnd = 1;
        // Objects Defer left pending in the last collection (statistics).
        internal static ulong DeferredLastCollection;
        private static void** s_modulesStart;
        private static void** s_modulesEnd;

        [RuntimeImport("cowbird_gc_collect_here")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void CollectHere();

        internal static void Initialize()
        {
            s_markStack = (byte**)GcHeap.AllocateRuntimeMemory(MarkStackEntries * (ulong)sizeof(byte*));
        }

        // Where the GC static regions are (the modules' ReadyToRun headers).
        internal static void SetModules(void** modulesStart, void** modulesEnd)
        {
            s_modulesStart = modulesStart;
            s_modulesEnd = modulesEnd;
        }

        // Runs a full collection. Must not be called from an interrupt handler.
        internal static void Collect()
        {
            if (GcHeap.Collecting)
                RuntimePanic.Fail("Collector.Collect: collection re-entered");
            CollectHere();
        }

        // Called by cowbird_gc_collect_here with the stack pointer after it pushed
        // the callee-saved registers.
        [RuntimeExport("cowbird_gc_collect_from")]
        private static void CollectFrom(byte* stackPointer)
        {
            GcHeap.Collecting = true;
            ulong before = GcHeap.BytesInUse;
            DeferredLastCollection = 0;
            MarkStaticRoots();
            MarkFrozenObjects();
            StackRegistry.ScanAll(stackPointer);
            Drain();
            Sweeper.Sweep();
            GcHeap.BytesFreedLastCollection = before - GcHeap.BytesInUse;
            GcHeap.Collections++;
            GcHeap.Collecting = false;
        }

        // Scans [low, high) word by word; any word pointing into a heap object marks it.
        internal static void ScanConservatively(byte* low, byte* high)
        {
            for (ulong* word = (ulong*)(((ulong)low + 7) & ~7UL); word + 1 <= (ulong*)high; word++)
                MarkAddress((byte*)*word);
        }

        // Marks the heap object containing `address` (if any) and queues it for scanning.
        // Used for conservative words and precise references alike: the page map makes
        // the lookup O(1) either way (a reference is the start of its slot plus 8).
        internal static void MarkAddress(byte* address)
        {
            PageInfo* info;
            byte* pageStart;
            int index;
            byte* slot = Locate(address, out info, out pageStart, out index);
            if (slot == null || !PageInfo.Test(info->AllocatedBits, index) || PageInfo.Test(info->MarkedBits, index))
                return;
            PageInfo.Set(info->MarkedBits, index);
            if (s_markCount < MarkStackEntries)
                s_markStack[s_markCount++] = slot + ObjectHeaderSize;
            else
                Defer(info, pageStart, index);
        }

        // The object reference of the allocated object containing `address`, or null.
        internal static byte* FindObject(byte* address)
        {
            PageInfo* info;
            byte* pageStart;
            int index;
            byte* slot = Locate(address, out info, out pageStart, out index);
            return slot != null && PageInfo.Test(info->AllocatedBits, index) ? slot + ObjectHeaderSize : null;
        }

        // The slot (header included) of a small page or large object containing
        // `address`, with its page's descriptor and start and its bit index; null when
        // `address` is outside the heap, in a Free or Runtime page, or past a small
        // page's last slot. Free slots are found too: callers test the Allocated bit.
        private static byte* Locate(byte* address, out PageInfo* info, out byte* pageStart, out int index)
        {
            info = null;
            pageStart = null;
            index = 0;
            HeapSegment* segment = GcHeap.FindSegment(address);
            if (segment == null)
                return null;
            ulong page = (ulong)(address - segment->DataStart) >> HeapSegment.PageShift;
            info = &segment->Pages[page];
            if (info->Kind == PageKind.LargeTail)
            {
                page -= info->RunPages;
                info = &segment->Pages[page];
            }
            pageStart = segment->PageAddress(page);
            if (info->Kind == PageKind.LargeHead)
                return pageStart;
            if (info->Kind != PageKind.Small)
                return null;
            index = (int)((ulong)(address - pageStart) / SizeClasses.SlotSize(info->SizeClass));
            return index < info->SlotCount ? SlotAddress(info, pageStart, index) : null;
        }

        // Slot `index` of a Small page, or the object of a LargeHead page.
        private static byte* SlotAddress(PageInfo* info, byte* pageStart, int index) =>
            info->Kind == PageKind.Small ? pageStart + (ulong)index * SizeClasses.SlotSize(info->SizeClass) : pageStart;

        // The mark stack is full: the marked object waits in its page as pending
        // (Allocated bit cleared, see PageInfo), and the page joins the pending-page
        // list unless it is on it already.
        private static void Defer(PageInfo* info, byte* pageStart, int index)
        {
            PageInfo.Clear(info->AllocatedBits, index);
            DeferredLastCollection++;
            if (info->NextPending != null)
                return;
            info->NextPending = s_pendingPages == null ? (byte*)ListEnd : s_pendingPages;
            s_pendingPages = pageStart;
        }

        // Scans queued objects until none is left, on the stack or pending in a page.
        private static void Drain()
        {
            while (true)
            {
                while (s_markCount > 0)
                    ScanObject(s_markStack[--s_markCount]);
                if (s_pendingPages == null)
                    return;
                RequeuePendingPage();
            }
        }

        // Takes the first page off the pending-page list and moves its pending objects
        // (marked, not allocated) onto the mark stack, which is empty and holds more
        // than a page's slots; they are allocated again.
        private static void RequeuePendingPage()
        {
            byte* pageStart = s_pendingPages;
            HeapSegment* segment = GcHeap.FindSegment(pageStart);
            PageInfo* info = &segment->Pages[(ulong)(pageStart - segment->DataStart) >> HeapSegment.PageShift];
            s_pendingPages = info->NextPending == (byte*)ListEnd ? null : info->NextPending;
            info->NextPending = null;
            ulong* allocated = info->AllocatedBits;
            ulong* marked = info->MarkedBits;
            for (int w = 0; w < PageInfo.BitmapWords; w++)
            {
                ulong pending = marked[w] & ~allocated[w];
                allocated[w] |= pending;
                for (; pending != 0; pending &= pending - 1)
                {
                    int index = w * 64 + PageInfo.LowestBit(pending);
                    s_markStack[s_markCount++] = SlotAddress(info, pageStart, index) + ObjectHeaderSize;
                }
            }
        }

        // Size of an object in bytes, header included (arrays and strings add their elements).
        internal static ulong ObjectSize(byte* obj)
        {
            MethodTable* type = *(MethodTable**)obj;
            ulong size = type->BaseSize;
            if ((type->Flags & MethodTable.HasComponentSizeFlag) != 0)
                size += (ulong)*(uint*)(obj + sizeof(void*)) * type->ComponentSize;
            return size;
        }

        // Marks everything `obj`'s reference fields point to, using the GCDesc ILC
        // emits just below the MethodTable (gcdesc.h layout):
        //   [MT - 8]  nint series count N;
        //   N > 0: N series {nint size, nint offset} below it, each a run of references
        //          at obj + offset of (size + object size) bytes;
        //   N < 0: an array of structs: from obj + offset, repeat the -N items
        //          {uint references, uint bytes to skip} until the end of the array.
        private static void ScanObject(byte* obj)
        {
            MethodTable* type = *(MethodTable**)obj;
            if ((type->Flags & MethodTable.HasPointersFlag) == 0)
                return;
            long series = *((long*)type - 1);
            long* highest = (long*)type - 3;     // {size, offset} just below the count
            ulong size = ObjectSize(obj);
            if (series > 0)
            {
                for (long s = 0; s < series; s++)
                {
                    long* current = highest - 2 * s;
                    byte** field = (byte**)(obj + current[1]);
                    byte** stop = (byte**)((byte*)field + current[0] + (long)size);
                    for (; field < stop; field++)
                        MarkAddress(*field);
                }
                return;
            }
            byte** element = (byte**)(obj + highest[1]);
            byte** end = (byte**)(obj + size - ObjectHeaderSize);
            uint* items = (uint*)highest;        // item i (i = 0, -1, ...) at highest + i words
            while (element < end)
            {
                for (long i = 0; i > series; i--)
                {
                    uint references = items[2 * i];
                    uint skip = items[2 * i + 1];
                    for (uint r = 0; r < references; r++, element++)
                        MarkAddress(*element);
                    element = (byte**)((byte*)element + skip);
                }
            }
        }

        // Root 1: each GC static region entry points (relatively) at a slot holding
        // the address of a static base object once ModuleInitializer has run.
        private static void MarkStaticRoots()
        {
            for (void** module = s_modulesStart; module < s_modulesEnd; module++)
            {
                ModuleInfoRow* region = ModuleInitializer.FindSection((ReadyToRunHeader*)*module, ReadyToRunSectionType.GCStaticRegion);
                if (region == null)
                    continue;
                for (byte* entry = region->Start; entry < region->End; entry += sizeof(int))
                {
                    byte** slot = (byte**)(entry + *(int*)entry);
                    MarkAddress(*slot);
                }
            }
        }

        // Root 2: frozen objects lie back to back in the FrozenObjectRegion, each
        // [header | MethodTable* | ...] padded to 8 bytes; scan their fields.
        private static void MarkFrozenObjects()
        {
            for (void** module = s_modulesStart; module < s_modulesEnd; module++)
            {
                ModuleInfoRow* region = ModuleInitializer.FindSection((ReadyToRunHeader*)*module, ReadyToRunSectionType.FrozenObjectRegion);
                if (region == null)
                    continue;
                byte* block = region->Start;
                while (block + 2 * sizeof(void*) <= region->End)
                {
                    byte* obj = block + ObjectHeaderSize;
                    if (*(void**)obj == null)
                    {
                        block += sizeof(void*);
                        continue;
                    }
                    ScanObject(obj);
                    block += (ObjectSize(obj) + 7) & ~7UL;
                }
            }
        }
    }
}
