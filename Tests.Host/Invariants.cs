using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Reclaim;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host
{
    // Thrown by the invariant checker; lists every violation found.
    public sealed class InvariantViolation : System.Exception
    {
        public InvariantViolation(string message) : base(message) { }
    }

    // The whole-machine invariant checker tests run after every step. It reads the raw
    // page tables in host RAM (not through Kernel.Mm's own walkers) and checks the rules
    // below; each message starts with the rule's ID ("[I2] frame 93: ..."), which
    // docs/memory.md's invariant catalogue lists:
    // I1. every leaf PTE holding a frame lies in a VMA and agrees with its protection
    //      (User; Writable only in writable VMAs; NX iff not PROT_EXEC; ProtNone iff
    //      PROT_NONE); a swap PTE lies in a private VMA and is exactly an entry's encoding;
    // I2. each mapped frame's MapCount = number of PTEs holding it, RefCount = MapCount
    //      + its object's reference + the swap cache's (Flags.SwapCache) +
    //      TestMachine.ExtraReferences, and it is marked Anonymous (or Shmem);
    // I3. page-table pages are marked PageTable, RefCount 1, referenced exactly once;
    //      VmStat.PageTablePages equals their number;
    // I4. no frame is both free and mapped (or a page table); every allocated frame is
    //      accounted for (mapped or a page table): an unaccounted frame is a leak;
    // I5. the buddy free lists hold exactly the free frames, in aligned blocks, with no
    //      two free buddies left unmerged;
    // I6. every VMA tree is ordered, non-overlapping, page aligned, AVL balanced, its
    //      gaps augmented (SubtreeGap), and its list agrees with its in-order walk;
    // I7. no SoftMmu TLB entry is more permissive than the current page tables;
    // I8. exactly the VMAs in the live trees are live (MemoryManager.LiveVmas);
    // I9. each mapped frame's Index is the page index of every address mapping it in its
    //      VMA, PgOff + (address - Start) / 4 KiB (the linear index under linear offsets);
    // I10. the rmap walk (MemoryManager.Rmap) of every mapped frame, private anonymous or
    //      shared, visits exactly the PTEs that map it, each once, and so does the
    //      page-table-scan rmap (the oracle);
    //      Under PTE chains each frame records exactly the PTEs mapping it (CheckPteChains);
    //      under the 2004 anon_vma the families' lists and counts exact (CheckFamilies);
    //      under the object tree: object lists, counts and shape, owners above their
    //      mappers with no shadow between, inherited-PTE counts (Rmap/ObjectTreeInvariants);
    // I11. under the anon_vma rmap: every mapped private frame's Mapping is a live anon_vma
    //      linked to every VMA mapping it, every mapped shared frame's Mapping is the
    //      SharedAnonObject of every VMA mapping it, and shared VMAs have no anon_vma; every chain is on its VMA's list and in its anon_vma's
    //      interval tree under the VMA's current range; the trees are ordered, balanced and
    //      correctly augmented; NumActiveVmas, NumChildren and RefCount are exact; a VMA
    //      linked to an anon_vma is linked to its parent too; the AnonVmaAllocator counts
    //      exactly the reachable anon_vmas and chains (none leaked).
    // I12. each shared anonymous object lists exactly the VMAs using it, holds one reference
    //      on each of its pages (Shmem, Mapping = the object, Index = its index), and its
    //      radix-tree node frames are accounted for (SharedObjectInvariants).
    // I13. swap (CheckSwap): each slot's count = swap PTEs naming it + shared objects
    //      naming it; HasCache <=> the entry is in the swap cache <=> its frame has
    //      Flags.SwapCache with that SwapEntry; a cached entry's count is > 0; free slots
    //      are named by nobody; SwapMap.Verify passes; without swap no swap PTE exists.
    // I14. LRU (CheckLru): both lists are well linked, their counts exact, every frame on
    //      them has Flags.Lru and the right Active flag, each frame is on at most one list;
    //      exactly the frames mapped by users, held by a shared object or swap-cached are
    //      on a list (no free frame, page table or radix node).
    // I15. overcommit (CheckCommit): CommitAccounting.Committed = the pages of every Account
    //      VMA + the charged size of every live shared object; no shared VMA is Account;
    //      each tree's TotalPages is the sum of its VMAs' pages; each PageTable's TablePages
    //      is the number of its table pages below the PML4.
    // I16. under AnonOffsets.Reserve (OffsetReservationInvariants): each private VMA's
    //      reservation contains its offsets and lies below the space's counter; the
    //      reservations of a space's private VMAs are disjoint (unless the counter wrapped).
    // I18. shared last-level tables (CheckSharedTables): a table's RefCount is the number
    //      of PD entries naming it; an entry naming a table with RefCount > 1 is read-only
    //      (PageTable.SharedTableFlags); only last-level tables are shared; a leaf of a
    //      shared table counts once in MapCount, swap counts and the LRU (I2, I13), and
    //      for each mapped frame the sum of its PTEs' table RefCounts is the number of
    //      (space, address) pairs mapping it, the ones its rmap walk visits (I10).
    // I17. the zero page (CheckZeroPage): its PTEs are never writable and lie only in
    //      private VMAs; they count in no MapCount, walk and LRU (the checks above leave
    //      them out, so an rmap design or count that took them in fails there); the zero
    //      frame is allocated with RefCount 1, MapCount 0, no Mapping, no flags, holds only
    //      zeros, and is the only frame allocated while nothing holds it.
    public static class Invariants
    {
        public static void Check(TestMachine machine)
        {
            var errors = new List<string>();
            var mapCounts = new Dictionary<ulong, int>();
            var tablePages = new Dictionary<ulong, int>();
            var swapPtes = new Dictionary<ulong, int>();
            var leafTables = new Dictionary<ulong, int>();
            var sharers = new Dictionary<ulong, int>();
            int zeroPtes = 0;
            int vmas = 0;
            foreach (AddressSpace space in machine.Spaces)
            {
                vmas += space.Vmas.Count;
                Tagged("I6", errors, () => CheckVmaTree(space, errors));
                zeroPtes += CheckPageTables(machine, space, new LeafCounts(mapCounts, swapPtes, leafTables, sharers), tablePages, errors);
                if (machine.Manager.Offsets == AnonOffsets.Reserve)
                    Tagged("I16", errors, () => OffsetReservationInvariants.Check(space, errors));
            }
            var objectRefs = new Dictionary<ulong, int>();
            var nodeFrames = new Dictionary<ulong, int>();
            var objectSwapRefs = new Dictionary<ulong, int>();
            Tagged("I12", errors, () => SharedObjectInvariants.Collect(machine, objectRefs, nodeFrames, errors, objectSwapRefs));
            Tagged("I17", errors, () => CheckZeroPage(machine, zeroPtes, errors));
            CheckFrames(machine, mapCounts, tablePages, objectRefs, nodeFrames, errors);
            Tagged("I13", errors, () => CheckSwap(machine, swapPtes, objectSwapRefs, errors));
            Tagged("I14", errors, () => CheckLru(machine, mapCounts, objectRefs, errors));
            Tagged("I5", errors, () => CheckFreeLists(machine.Frames, errors));
            if (machine.Manager.LiveVmas != vmas)
                errors.Add($"[I8] {machine.Manager.LiveVmas} VMAs are live (not released) but the trees hold {vmas}");
            foreach (string stale in machine.Mmu.StaleEntries())
                errors.Add("[I7] " + stale);
            Tagged("I18", errors, () => CheckSharedTables(machine, leafTables, sharers, errors));
            CheckRmap(machine, errors);
            Tagged("I15", errors, () => CheckCommit(machine, errors));
            if (errors.Count > 0)
                throw new InvariantViolation(string.Join("\n", errors.GetRange(0, System.Math.Min(errors.Count, 20))));
        }

        // Runs one check and prefixes the errors it adds with the invariant's ID
        // (docs/memory.md, "Invariant catalogue"), so a failure names the rule it broke.
        static void Tagged(string id, List<string> errors, System.Action check)
        {
            int start = errors.Count;
            check();
            Tag(id, errors, start);
        }

        static void Tag(string id, List<string> errors, int start)
        {
            for (int i = start; i < errors.Count; i++)
                errors[i] = "[" + id + "] " + errors[i];
        }

        // 15: the committed count against the VMAs and shared objects that hold charges.
        static void CheckCommit(TestMachine machine, List<string> errors)
        {
            ulong charged = 0;
            var objects = new HashSet<SharedAnonObject>();
            foreach (AddressSpace space in machine.Spaces)
            {
                ulong pages = 0;
                for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
                {
                    pages += vma.Length >> Page.Shift;
                    if ((vma.Flags & VmaFlags.Account) != 0)
                    {
                        if (vma.IsShared)
                            errors.Add($"shared VMA 0x{vma.Start:x} is marked Account");
                        charged += vma.Length >> Page.Shift;
                    }
                    if (vma.SharedObject != null && objects.Add(vma.SharedObject))
                        charged += vma.SharedObject.ChargedPages;
                }
                if (space.Vmas.TotalPages != pages)
                    errors.Add($"VmaTree.TotalPages = {space.Vmas.TotalPages} but its VMAs cover {pages} pages");
                ulong tables = (ulong)CountTables(machine, space.PageTable.Root, PageTable.Levels - 1);
                if (space.PageTable.TablePages != tables)
                    errors.Add($"PageTable.TablePages = {space.PageTable.TablePages} but {tables} tables lie below the PML4");
            }
            if (machine.Manager.Commit.Committed != charged)
                errors.Add($"Committed = {machine.Manager.Commit.Committed} pages but Account VMAs and shared objects hold {charged}");
        }

        // Table pages below the `level` table at `table` (user half only).
        static int CountTables(TestMachine machine, ulong table, int level)
        {
            if (level == 0)
                return 0;
            int limit = level == PageTable.Levels - 1 ? PageTable.KernelHalfFirstEntry : PageTable.EntriesPerTable;
            int count = 0;
            for (int i = 0; i < limit; i++)
            {
                var entry = new Pte(machine.Ram.ReadU64(table + (ulong)i * 8));
                if (entry.IsPresent)
                    count += 1 + CountTables(machine, Page.FrameToAddress(entry.Frame), level - 1);
            }
            return count;
        }

        // 1 and the raw data for 2-4: walks one space's user half.
        // Walks `space`'s tables into the counts; returns how many PTEs map the zero page.
        static int CheckPageTables(TestMachine machine, AddressSpace space, LeafCounts counts,
                                   Dictionary<ulong, int> tablePages, List<string> errors)
        {
            ulong root = space.PageTable.Root;
            Add(tablePages, Page.AddressToFrame(root));
            return WalkTable(machine, space, root, PageTable.Levels - 1, 0, counts, tablePages, errors);
        }

        // What the leaves of all spaces hold, each leaf counted once however many spaces
        // share its table: frames (MapCount), swap PTEs, PD entries per last-level table,
        // and per frame the sum of its leaves' table sharers.
        sealed record LeafCounts(Dictionary<ulong, int> MapCounts, Dictionary<ulong, int> SwapPtes,
                                 Dictionary<ulong, int> LeafTables, Dictionary<ulong, int> Sharers);

        static int WalkTable(TestMachine machine, AddressSpace space, ulong table, int level, ulong tableBase,
                             LeafCounts counts, Dictionary<ulong, int> tablePages, List<string> errors)
        {
            // A last-level table another space's walk already counted: check its leaves
            // against this space's VMAs only.
            bool counted = level == 0 && counts.LeafTables[Page.AddressToFrame(table)] > 1;
            int zeroPtes = 0;
            int limit = level == PageTable.Levels - 1 ? PageTable.KernelHalfFirstEntry : PageTable.EntriesPerTable;
            for (int i = 0; i < limit; i++)
            {
                ulong address = tableBase + (ulong)i * PageTable.SpanOf(level);
                var entry = new Pte(machine.Ram.ReadU64(table + (ulong)i * 8));
                if (entry.IsNone)
                    continue;
                if (level > 0)
                {
                    ulong flags = entry.Raw & ~(Pte.FrameMask | Pte.Accessed);
                    if (!entry.IsPresent || (flags != Pte.TableFlags && (level != 1 || flags != PageTable.SharedTableFlags)))
                        errors.Add($"[I3] table entry at level {level} for 0x{address:x} is malformed: 0x{entry.Raw:x}");
                    Add(tablePages, entry.Frame);
                    if (level == 1)
                    {
                        Add(counts.LeafTables, entry.Frame);
                        if (entry.IsWritable && machine.Frames.Frame(entry.Frame).RefCount > 1)
                            errors.Add($"[I18] writable PD entry for 0x{address:x} names a shared table (RefCount {machine.Frames.Frame(entry.Frame).RefCount})");
                    }
                    zeroPtes += WalkTable(machine, space, Page.FrameToAddress(entry.Frame), level - 1, address, counts, tablePages, errors);
                    continue;
                }
                CheckLeaf(space, address, entry, errors);
                if (machine.Manager.ZeroPage.IsMappedBy(entry))
                {
                    zeroPtes++;
                    CheckZeroLeaf(space, address, entry, errors);
                }
                else if (entry.HasFrame)
                    CheckLinearIndex(machine, space, address, entry, errors);
                if (counted)
                    continue;
                if (entry.IsSwap)
                    Add(counts.SwapPtes, entry.Raw);
                else if (entry.HasFrame && !machine.Manager.ZeroPage.IsMappedBy(entry))
                {
                    Add(counts.MapCounts, entry.Frame);
                    int tableSharers = machine.Frames.Frame(Page.AddressToFrame(table)).RefCount;
                    counts.Sharers[entry.Frame] = (counts.Sharers.TryGetValue(entry.Frame, out int sum) ? sum : 0) + tableSharers;
                }
            }
            return zeroPtes;
        }

        // A PTE mapping the zero page: read-only, in a private VMA (shared anonymous memory
        // never uses the zero page).
        static void CheckZeroLeaf(AddressSpace space, ulong address, Pte entry, List<string> errors)
        {
            Vma vma = space.FindVma(address);
            if (entry.IsWritable)
                errors.Add($"[I17] zero-page PTE 0x{entry.Raw:x} at 0x{address:x} is writable");
            if (vma != null && !vma.IsPrivate)
                errors.Add($"[I17] zero-page PTE at 0x{address:x} in a shared VMA");
        }

        // The zero frame's descriptor and contents (I17). CheckFrames skips the frame.
        static void CheckZeroPage(TestMachine machine, int zeroPtes, List<string> errors)
        {
            ulong pfn = machine.Manager.ZeroPage.Pfn;
            PageFrame frame = machine.Frames.Frame(pfn);
            if (frame.RefCount != 1 || frame.MapCount != 0 || frame.Flags != PageFrameFlags.None || frame.Mapping != null)
                errors.Add($"zero frame {pfn} ({zeroPtes} PTEs map it): RefCount {frame.RefCount} MapCount {frame.MapCount} flags {frame.Flags} Mapping {frame.Mapping}");
            for (ulong offset = 0; offset < Page.Size; offset += 8)
                if (machine.Ram.ReadU64(Page.FrameToAddress(pfn) + offset) != 0)
                {
                    errors.Add($"zero frame {pfn} holds a non-zero word at offset {offset}");
                    return;
                }
        }

        // The anon_vma rmap finds a page's address in a VMA as
        // Start + (frame.Index - PgOff) * 4 KiB, so every PTE holding a frame must sit at
        // exactly that address in its VMA.
        static void CheckLinearIndex(TestMachine machine, AddressSpace space, ulong address, Pte entry, List<string> errors)
        {
            Vma vma = space.FindVma(address);
            if (vma == null || !machine.Frames.Manages(entry.Frame))
                return;
            ulong index = machine.Frames.Frame(entry.Frame).Index;
            if (index != vma.PageIndexOf(address))
                errors.Add($"[I9] frame {entry.Frame} has Index {index} but is mapped at 0x{address:x}, linear index {vma.PageIndexOf(address)}");
        }

        // A leaf PTE against the VMA that must contain it.
        static void CheckLeaf(AddressSpace space, ulong address, Pte entry, List<string> errors)
        {
            string where = $"[I1] PTE 0x{entry.Raw:x} at 0x{address:x}";
            Vma vma = space.FindVma(address);
            if (vma == null)
            {
                errors.Add(where + ": outside every VMA");
                return;
            }
            if (entry.IsSwap)
            {
                if (!vma.IsPrivate)
                    errors.Add(where + ": swap entry in a shared VMA (the object holds those)");
                if (SwapEntry.FromPte(entry.Raw).ToPte() != entry.Raw || !SwapEntry.FromPte(entry.Raw).IsValid)
                    errors.Add(where + ": swap entry with stray bits or slot 0");
                return;
            }
            if (!entry.IsUser)
                errors.Add(where + ": User bit clear");
            if (vma.Prot == Protection.None)
            {
                if (!entry.IsProtNone)
                    errors.Add(where + ": PROT_NONE VMA but entry is not ProtNone");
                return;
            }
            if (!entry.IsPresent)
                errors.Add(where + ": accessible VMA but entry not present");
            if (entry.IsWritable && (vma.Prot & Protection.Write) == 0)
                errors.Add(where + ": writable in a read-only VMA");
            if (entry.IsNoExecute == ((vma.Prot & Protection.Exec) != 0))
                errors.Add(where + ": NX bit disagrees with PROT_EXEC");
        }

        // 2-4: every managed frame's descriptor against what the tables hold.
        static void CheckFrames(TestMachine machine, Dictionary<ulong, int> mapCounts,
                                Dictionary<ulong, int> tablePages, Dictionary<ulong, int> objectRefs,
                                Dictionary<ulong, int> nodeFrames, List<string> errors)
        {
            FrameAllocator frames = machine.Frames;
            ulong freeFlagged = 0;
            for (ulong pfn = frames.FirstFrame; pfn < frames.EndFrame; pfn++)
            {
                if (!frames.Manages(pfn))
                {
                    if (mapCounts.ContainsKey(pfn) || tablePages.ContainsKey(pfn))
                        errors.Add($"[I4] frame {pfn} is not usable RAM but is mapped");
                    continue;
                }
                if (pfn == machine.Manager.ZeroPage.Pfn)
                    continue;
                PageFrame frame = frames.Frame(pfn);
                int maps = mapCounts.TryGetValue(pfn, out int m) ? m : 0;
                int tables = tablePages.TryGetValue(pfn, out int t) ? t : 0;
                bool isFree = (frame.Flags & PageFrameFlags.Free) != 0;
                if (isFree)
                {
                    freeFlagged++;
                    if (maps > 0 || tables > 0 || objectRefs.ContainsKey(pfn) || nodeFrames.ContainsKey(pfn))
                        errors.Add($"[I4] frame {pfn} is free but mapped {maps} times / a page table {tables} times / held by a shared object");
                    if (frame.RefCount != 0 || frame.MapCount != 0)
                        errors.Add($"[I4] free frame {pfn} has RefCount {frame.RefCount} MapCount {frame.MapCount}");
                    continue;
                }
                if (tables > 0)
                {
                    if (tables != frame.RefCount || maps != 0)
                        errors.Add($"[I3] page-table frame {pfn} (RefCount {frame.RefCount}) referenced {tables} times as a table, {maps} as a page");
                    if ((frame.Flags & PageFrameFlags.PageTable) == 0 || frame.MapCount != 0)
                        errors.Add($"[I3] page-table frame {pfn}: flags {frame.Flags} RefCount {frame.RefCount} MapCount {frame.MapCount}");
                    continue;
                }
                if (nodeFrames.TryGetValue(pfn, out int nodes))
                {
                    if (nodes != 1 || maps != 0 || tables != 0 || frame.RefCount != 1 || frame.MapCount != 0)
                        errors.Add($"[I12] shared-object node frame {pfn}: used {nodes} times, mapped {maps}, RefCount {frame.RefCount}");
                    continue;
                }
                int others = machine.ExtraReferences == null ? 0 : machine.ExtraReferences(pfn);
                if ((frame.Flags & PageFrameFlags.SwapCache) != 0)
                    others++;
                int heldByObject = objectRefs.TryGetValue(pfn, out int o) ? o : 0;
                others += heldByObject;
                if (maps > 0 || others > 0)
                {
                    if (frame.MapCount != maps)
                        errors.Add($"[I2] frame {pfn}: MapCount {frame.MapCount} but {maps} PTEs map it");
                    if (frame.RefCount != frame.MapCount + others)
                        errors.Add($"[I2] frame {pfn}: RefCount {frame.RefCount} but MapCount {frame.MapCount} + {others} other holders");
                    PageFrameFlags kind = frame.Flags & (PageFrameFlags.Anonymous | PageFrameFlags.Shmem | PageFrameFlags.PageTable);
                    if (kind != (heldByObject > 0 ? PageFrameFlags.Shmem : PageFrameFlags.Anonymous))
                        errors.Add($"[I2] mapped frame {pfn} has flags {frame.Flags}");
                    continue;
                }
                errors.Add($"[I4] frame {pfn} is allocated (RefCount {frame.RefCount}, flags {frame.Flags}) but nothing holds it: leaked");
            }
            if (freeFlagged != frames.FreeFrames)
                errors.Add($"[I4] {freeFlagged} frames flagged free but FreeFrames = {frames.FreeFrames}");
            ulong tableCount = (ulong)tablePages.Count;
            if (machine.Manager.Stat.PageTablePages != tableCount)
                errors.Add($"[I3] VmStat.PageTablePages = {machine.Manager.Stat.PageTablePages} but {tableCount} table pages are live");
        }

        // 18: only last-level tables are shared (I3 checked each table's RefCount against
        // the entries naming it), and each mapped frame's leaves, weighted by their
        // table's sharers, add up to the (space, address) pairs mapping it.
        static void CheckSharedTables(TestMachine machine, Dictionary<ulong, int> leafTables,
                                      Dictionary<ulong, int> sharers, List<string> errors)
        {
            foreach (var (pfn, frame) in AllTableRefs(machine))
                if (frame > 1 && !leafTables.ContainsKey(pfn))
                    errors.Add($"upper-level table {pfn} has RefCount {frame}");
            foreach (var (pfn, set) in RawMappings(machine))
            {
                int sum = sharers.TryGetValue(pfn, out int s) ? s : 0;
                if (sum != set.Count)
                    errors.Add($"frame {pfn}: its PTEs' table sharers add up to {sum}, {set.Count} (space, address) pairs map it");
            }
        }

        // Every page-table frame below a PML4 with its RefCount.
        static IEnumerable<(ulong, int)> AllTableRefs(TestMachine machine)
        {
            for (ulong pfn = machine.Frames.FirstFrame; pfn < machine.Frames.EndFrame; pfn++)
            {
                PageFrame frame = machine.Frames.Frame(pfn);
                if ((frame.Flags & PageFrameFlags.PageTable) != 0 && (frame.Flags & PageFrameFlags.Free) == 0)
                    yield return (pfn, frame.RefCount);
            }
        }

        // 13: swap slots against the PTEs, the shared objects and the swap cache.
        static void CheckSwap(TestMachine machine, Dictionary<ulong, int> swapPtes,
                              Dictionary<ulong, int> objectSwapRefs, List<string> errors)
        {
            SwapSpace swap = machine.Manager.Swap;
            if (swap == null)
            {
                if (swapPtes.Count > 0 || objectSwapRefs.Count > 0)
                    errors.Add("swap entries exist but no swap space is attached");
                return;
            }
            var named = new HashSet<ulong>(swapPtes.Keys);
            named.UnionWith(objectSwapRefs.Keys);
            for (int type = 0; type < SwapEntry.MaxTypes; type++)
            {
                SwapDevice device = swap.DeviceOf(type);
                if (device == null)
                    continue;
                int verify = device.Map.Verify();
                if (verify != 0)
                    errors.Add($"swap type {type}: SwapMap.Verify = {verify}");
                for (ulong slot = 1; slot < device.Map.SlotCount; slot++)
                {
                    if (!device.Map.IsUsable(slot))
                        continue;
                    var entry = new SwapEntry(type, slot);
                    ulong key = entry.ToPte();
                    named.Remove(key);
                    int ptes = swapPtes.TryGetValue(key, out int p) ? p : 0;
                    int objects = objectSwapRefs.TryGetValue(key, out int o) ? o : 0;
                    if (device.Map.Count(slot) != (uint)(ptes + objects))
                        errors.Add($"swap slot {type}:{slot}: count {device.Map.Count(slot)} but {ptes} PTEs + {objects} objects name it");
                    bool cached = swap.Cache.Lookup(entry, out ulong pfn);
                    if (cached != device.Map.HasCache(slot))
                        errors.Add($"swap slot {type}:{slot}: HasCache {device.Map.HasCache(slot)} but cached {cached}");
                    if (!cached)
                        continue;
                    if (device.Map.Count(slot) == 0)
                        errors.Add($"swap slot {type}:{slot}: cached with count 0 (unreachable page)");
                    PageFrame frame = machine.Frames.Frame(pfn);
                    if ((frame.Flags & PageFrameFlags.SwapCache) == 0 || frame.SwapEntry != key)
                        errors.Add($"swap slot {type}:{slot}: cached frame {pfn} has flags {frame.Flags}, SwapEntry 0x{frame.SwapEntry:x}");
                    if ((frame.Flags & PageFrameFlags.Free) != 0)
                        errors.Add($"swap slot {type}:{slot}: cached frame {pfn} is free");
                }
            }
            foreach (ulong key in named)
                errors.Add($"swap entry 0x{key:x} is named by PTEs or objects but belongs to no usable slot");
            ulong cachedFrames = 0;
            FrameAllocator frames = machine.Frames;
            for (ulong pfn = frames.FirstFrame; pfn < frames.EndFrame; pfn++)
                if (frames.Manages(pfn) && (frames.Frame(pfn).Flags & PageFrameFlags.SwapCache) != 0)
                {
                    cachedFrames++;
                    PageFrame frame = frames.Frame(pfn);
                    if (!swap.Cache.Lookup(SwapEntry.FromPte(frame.SwapEntry), out ulong cachedPfn) || cachedPfn != pfn)
                        errors.Add($"frame {pfn} has Flags.SwapCache but the cache does not map its entry to it");
                }
            if (cachedFrames != swap.Cache.Count)
                errors.Add($"{cachedFrames} frames flagged SwapCache but the swap cache holds {swap.Cache.Count}");
        }

        // 14: the LRU lists against the frames that must be on them.
        static void CheckLru(TestMachine machine, Dictionary<ulong, int> mapCounts,
                             Dictionary<ulong, int> objectRefs, List<string> errors)
        {
            Lru lru = machine.Manager.Lru;
            FrameAllocator frames = machine.Frames;
            var onList = new HashSet<ulong>();
            foreach (bool active in new[] { false, true })
            {
                ulong previous = FrameAllocator.NoFrame;
                ulong count = 0;
                ulong limit = frames.TotalFrames + 1;
                for (ulong pfn = lru.FirstOf(active); pfn != FrameAllocator.NoFrame && count <= limit; pfn = lru.Next(pfn))
                {
                    count++;
                    PageFrame frame = frames.Frame(pfn);
                    if (!onList.Add(pfn))
                        errors.Add($"LRU: frame {pfn} is listed twice");
                    if (frame.Prev != previous)
                        errors.Add($"LRU: frame {pfn} Prev {frame.Prev} but follows {previous}");
                    if ((frame.Flags & PageFrameFlags.Lru) == 0 || ((frame.Flags & PageFrameFlags.Active) != 0) != active)
                        errors.Add($"LRU: frame {pfn} on the {(active ? "active" : "inactive")} list has flags {frame.Flags}");
                    previous = pfn;
                }
                if (count != (active ? lru.ActiveCount : lru.InactiveCount))
                    errors.Add($"LRU: {(active ? "active" : "inactive")} list has {count} frames, count says {(active ? lru.ActiveCount : lru.InactiveCount)}");
                if (previous != (active ? lru.ActiveTail : lru.InactiveTail))
                    errors.Add($"LRU: {(active ? "active" : "inactive")} tail is wrong");
            }
            for (ulong pfn = frames.FirstFrame; pfn < frames.EndFrame; pfn++)
            {
                if (!frames.Manages(pfn))
                    continue;
                PageFrame frame = frames.Frame(pfn);
                bool mustBeListed = mapCounts.ContainsKey(pfn) || objectRefs.ContainsKey(pfn)
                                    || (frame.Flags & PageFrameFlags.SwapCache) != 0;
                bool listed = onList.Contains(pfn);
                if (listed != mustBeListed)
                    errors.Add($"LRU: frame {pfn} (flags {frame.Flags}, RefCount {frame.RefCount}) listed {listed} but should be {mustBeListed}");
                if (!listed && (frame.Flags & (PageFrameFlags.Lru | PageFrameFlags.Active)) != 0)
                    errors.Add($"LRU: frame {pfn} has LRU flags {frame.Flags} but is on no list");
            }
        }

        // Checks the allocator alone (free lists against the Free flags); throws on a violation.
        public static void CheckAllocator(FrameAllocator frames)
        {
            var errors = new List<string>();
            CheckFreeLists(frames, errors);
            ulong flagged = 0;
            for (ulong pfn = frames.FirstFrame; pfn < frames.EndFrame; pfn++)
                if (frames.Manages(pfn) && (frames.Frame(pfn).Flags & PageFrameFlags.Free) != 0)
                    flagged++;
            if (flagged != frames.FreeFrames)
                errors.Add($"{flagged} frames flagged free but FreeFrames = {frames.FreeFrames}");
            if (errors.Count > 0)
                throw new InvariantViolation(string.Join("\n", errors));
        }

        // 5: the free lists describe exactly the free frames.
        static void CheckFreeLists(FrameAllocator frames, List<string> errors)
        {
            ulong listed = 0;
            var heads = new HashSet<(ulong, int)>();
            for (int order = 0; order <= FrameAllocator.MaxOrder; order++)
            {
                ulong size = 1UL << order;
                for (ulong pfn = frames.FirstFree(order); pfn != FrameAllocator.NoFrame; pfn = frames.NextFree(pfn))
                {
                    PageFrame head = frames.Frame(pfn);
                    if ((head.Flags & PageFrameFlags.BuddyHead) == 0 || head.Order != order || (pfn & (size - 1)) != 0)
                        errors.Add($"free list {order}: block {pfn} has flags {head.Flags} order {head.Order}");
                    for (ulong i = 0; i < size; i++)
                        if (!frames.Manages(pfn + i) || (frames.Frame(pfn + i).Flags & PageFrameFlags.Free) == 0)
                            errors.Add($"free list {order}: frame {pfn + i} of block {pfn} is not free");
                    heads.Add((pfn, order));
                    listed += size;
                    if (listed > frames.TotalFrames)
                    {
                        errors.Add("free lists are longer than RAM (a cycle?)");
                        return;
                    }
                }
            }
            foreach (var (pfn, order) in heads)
                if (order < FrameAllocator.MaxOrder && heads.Contains((pfn ^ (1UL << order), order)))
                    errors.Add($"free buddies {pfn} and {pfn ^ (1UL << order)} of order {order} were not merged");
            if (listed != frames.FreeFrames)
                errors.Add($"free lists hold {listed} frames but FreeFrames = {frames.FreeFrames}");
        }

        // 6: tree shape, order and list agreement for one space.
        static void CheckVmaTree(AddressSpace space, List<string> errors)
        {
            var inOrder = new List<Vma>();
            CheckSubtree(space.Vmas.Root, inOrder, errors);
            var listed = new List<Vma>();
            Vma previous = null;
            for (Vma vma = space.Vmas.First; vma != null && listed.Count <= inOrder.Count; vma = vma.Next)
            {
                if (vma.Prev != previous)
                    errors.Add($"VMA list: Prev link of 0x{vma.Start:x} is wrong");
                listed.Add(vma);
                previous = vma;
            }
            if (space.Vmas.Last != previous)
                errors.Add("VMA list: Last is not the end of the list");
            if (listed.Count != inOrder.Count || inOrder.Count != space.Vmas.Count)
                errors.Add($"VMA tree holds {inOrder.Count}, list {listed.Count}, Count {space.Vmas.Count}");
            for (int i = 0; i < inOrder.Count; i++)
            {
                Vma vma = inOrder[i];
                if (i < listed.Count && listed[i] != vma)
                    errors.Add($"VMA list and tree order differ at {i}");
                if (vma.Start >= vma.End || !Page.IsAligned(vma.Start) || !Page.IsAligned(vma.End))
                    errors.Add($"VMA [0x{vma.Start:x}, 0x{vma.End:x}) is empty or unaligned");
                if (vma.Start < AddressSpace.MmapMin || vma.End > PageTable.UserEnd)
                    errors.Add($"VMA [0x{vma.Start:x}, 0x{vma.End:x}) is outside user space");
                if (vma.Owner != space)
                    errors.Add($"VMA [0x{vma.Start:x}, 0x{vma.End:x}) belongs to another space");
                if (i > 0 && inOrder[i - 1].End > vma.Start)
                    errors.Add($"VMAs [0x{inOrder[i - 1].Start:x}, 0x{inOrder[i - 1].End:x}) and [0x{vma.Start:x}, 0x{vma.End:x}) overlap or are out of order");
            }
        }

        // Height-checks a subtree and appends its nodes in order; returns its height.
        static int CheckSubtree(Vma node, List<Vma> inOrder, List<string> errors)
        {
            if (node == null)
                return 0;
            int left = CheckSubtree(node.Left, inOrder, errors);
            inOrder.Add(node);
            int right = CheckSubtree(node.Right, inOrder, errors);
            int height = 1 + System.Math.Max(left, right);
            if (node.Height != height)
                errors.Add($"VMA 0x{node.Start:x}: Height {node.Height}, actual {height}");
            if (System.Math.Abs(left - right) > 1)
                errors.Add($"VMA 0x{node.Start:x}: AVL balance {left - right}");
            ulong gap = node.Gap;
            if (node.Left != null) gap = System.Math.Max(gap, node.Left.SubtreeGap);
            if (node.Right != null) gap = System.Math.Max(gap, node.Right.SubtreeGap);
            if (node.SubtreeGap != gap)
                errors.Add($"VMA 0x{node.Start:x}: SubtreeGap 0x{node.SubtreeGap:x}, actual 0x{gap:x}");
            return height;
        }

        // 10: every mapped frame's rmap walk against the raw page tables.
        static void CheckRmap(TestMachine machine, List<string> errors)
        {
            var mappings = RawMappings(machine);
            var oracle = new PageTableScanReverseMap(machine.Manager);
            int start = errors.Count;
            foreach (var (pfn, expected) in mappings)
            {
                CompareWalk("rmap", machine.Manager.Rmap, pfn, expected, errors);
                CompareWalk("page-table scan", oracle, pfn, expected, errors);
            }
            if (machine.Manager.Rmap is PteChainReverseMap chains)
                CheckPteChains(machine, chains, mappings, errors);
            if (machine.Manager.Rmap is AnonVma2004ReverseMap families)
                CheckFamilies(machine, families, mappings, errors);
            if (machine.Manager.Rmap is ObjectTreeReverseMap tree)
                Rmap.ObjectTreeInvariants.Check(machine, tree, mappings, errors);
            Tag("I10", errors, start);
            if (machine.Manager.Rmap is AnonVmaReverseMap anon)
                Tagged("I11", errors, () => CheckAnonVmas(machine, anon, mappings, errors));
        }

        // PTE chains: each frame records exactly its MapCount PTEs (the walk above showed the
        // recorded ones that hold it are exactly the mapping ones), in a valid form, and no
        // chain entry survives for a frame nobody maps.
        static void CheckPteChains(TestMachine machine, PteChainReverseMap chains,
                                   Dictionary<ulong, HashSet<(AddressSpace, ulong)>> mappings, List<string> errors)
        {
            long entries = 0;
            for (ulong pfn = machine.Frames.FirstFrame; pfn < machine.Frames.EndFrame; pfn++)
            {
                int recorded = chains.EntryCount(pfn);
                int mapped = mappings.TryGetValue(pfn, out var set) ? set.Count : 0;
                if (recorded != mapped)
                    errors.Add($"pte chain: frame {pfn} records {recorded} PTEs, {mapped} map it");
                if (!chains.HasValidForm(pfn))
                    errors.Add($"pte chain: frame {pfn} has a chain of one entry or both forms");
                if (recorded >= 2)
                    entries += recorded;
            }
            if (entries != chains.LiveEntries)
                errors.Add($"pte chain: {chains.LiveEntries} entries allocated, {entries} on chains");
        }

        // The 2004 anon_vma: every VMA is on its family's list exactly when it names the
        // family, counts are exact, and each mapped private frame's family lists every VMA
        // mapping it.
        static void CheckFamilies(TestMachine machine, AnonVma2004ReverseMap rmap,
                                  Dictionary<ulong, HashSet<(AddressSpace, ulong)>> mappings, List<string> errors)
        {
            var families = new HashSet<AnonVmaFamily>();
            int linked = 0;
            foreach (AddressSpace space in machine.Spaces)
                for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
                    if (vma.Family != null)
                    {
                        linked++;
                        families.Add(vma.Family);
                    }
            foreach (AnonVmaFamily family in families)
            {
                int count = 0;
                for (Vma vma = family.First; vma != null; vma = vma.FamilyNext)
                {
                    count++;
                    if (vma.Family != family || vma.Owner == null)
                        errors.Add($"anon_vma 2004: a listed VMA 0x{vma.Start:x} is dead or names another family");
                    if (vma.FamilyNext != null && vma.FamilyNext.FamilyPrev != vma)
                        errors.Add("anon_vma 2004: broken list links");
                }
                if (count != family.Count)
                    errors.Add($"anon_vma 2004: family Count {family.Count}, list length {count}");
            }
            if (families.Count != rmap.LiveFamilies || linked != rmap.LinkedVmas)
                errors.Add($"anon_vma 2004: {rmap.LiveFamilies} families / {rmap.LinkedVmas} VMAs counted, {families.Count} / {linked} found");
            foreach (var (pfn, set) in mappings)
            {
                ref PageFrame frame = ref machine.Frames.Frame(pfn);
                if ((frame.Flags & PageFrameFlags.Shmem) != 0)
                    continue;
                var family = frame.Mapping as AnonVmaFamily;
                foreach (var (space, address) in set)
                    if (family == null || space.FindVma(address)?.Family != family)
                        errors.Add($"anon_vma 2004: frame {pfn} mapped at 0x{address:x} by a VMA outside its family");
            }
        }

        // Every leaf PTE holding a frame, by frame: (space, address) pairs. The zero page is
        // left out: no reverse map records it.
        public static Dictionary<ulong, HashSet<(AddressSpace, ulong)>> RawMappings(TestMachine machine)
        {
            var result = new Dictionary<ulong, HashSet<(AddressSpace, ulong)>>();
            foreach (AddressSpace space in machine.Spaces)
                CollectLeaves(machine, space, space.PageTable.Root, PageTable.Levels - 1, 0, result);
            return result;
        }

        static void CollectLeaves(TestMachine machine, AddressSpace space, ulong table, int level, ulong tableBase,
                                  Dictionary<ulong, HashSet<(AddressSpace, ulong)>> result)
        {
            int limit = level == PageTable.Levels - 1 ? PageTable.KernelHalfFirstEntry : PageTable.EntriesPerTable;
            for (int i = 0; i < limit; i++)
            {
                ulong address = tableBase + (ulong)i * PageTable.SpanOf(level);
                var entry = new Pte(machine.Ram.ReadU64(table + (ulong)i * 8));
                if (level > 0 && entry.IsPresent)
                    CollectLeaves(machine, space, Page.FrameToAddress(entry.Frame), level - 1, address, result);
                else if (level == 0 && entry.HasFrame && !machine.Manager.ZeroPage.IsMappedBy(entry))
                {
                    if (!result.TryGetValue(entry.Frame, out var set))
                        result[entry.Frame] = set = new HashSet<(AddressSpace, ulong)>();
                    set.Add((space, address));
                }
            }
        }

        // Records every (space, address) a walk visits, and how many visits there were.
        sealed class CollectingVisitor : RmapVisitor
        {
            public readonly List<(AddressSpace, ulong)> Seen = new List<(AddressSpace, ulong)>();
            public ulong Pfn;
            public List<string> Errors;

            public override bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte)
            {
                if (pte.Frame != Pfn || !pte.HasFrame)
                    Errors.Add($"rmap walk of frame {Pfn} visited PTE 0x{pte.Raw:x} at 0x{address:x}");
                if (!vma.Contains(address) || vma.Owner.PageTable.FindPte(address) != pteAddress)
                    Errors.Add($"rmap walk of frame {Pfn} gave a VMA/PTE that does not hold 0x{address:x}");
                Seen.Add((vma.Owner, address));
                return true;
            }
        }

        static void CompareWalk(string name, ReverseMap rmap, ulong pfn, HashSet<(AddressSpace, ulong)> expected, List<string> errors)
        {
            var visitor = new CollectingVisitor { Pfn = pfn, Errors = errors };
            try
            {
                if (!rmap.Walk(pfn, visitor))
                    errors.Add($"{name} walk of frame {pfn} reports a stop nobody asked for");
            }
            catch (MmPanicException panic)
            {
                // A frame mapped behind the MM's back (raw page-table tests) has no rmap
                // state: report it like any other violation.
                errors.Add($"{name} walk of frame {pfn} panicked: {panic.Message}");
                return;
            }
            var seen = new HashSet<(AddressSpace, ulong)>(visitor.Seen);
            if (seen.Count != visitor.Seen.Count)
                errors.Add($"{name} walk of frame {pfn} visited a mapping twice");
            if (!seen.SetEquals(expected))
                errors.Add($"{name} walk of frame {pfn} found {seen.Count} mappings, page tables hold {expected.Count}");
        }

        // 11: the anon_vma structures against the VMAs and frames.
        static void CheckAnonVmas(TestMachine machine, AnonVmaReverseMap rmap,
                                  Dictionary<ulong, HashSet<(AddressSpace, ulong)>> mappings, List<string> errors)
        {
            var live = new HashSet<AnonVma>();
            var active = new Dictionary<AnonVma, int>();
            var linkedVmas = new Dictionary<AnonVma, HashSet<Vma>>();
            int chains = 0;
            foreach (AddressSpace space in machine.Spaces)
                for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
                    chains += CheckVmaChains(vma, live, active, linkedVmas, errors);
            // Roots whose own tree emptied stay alive for their children: reach them too.
            foreach (AnonVma anonVma in new List<AnonVma>(live))
            {
                if (anonVma.Parent != null) live.Add(anonVma.Parent);
                if (anonVma.Root != null) live.Add(anonVma.Root);
            }
            foreach (AnonVma anonVma in live)
                CheckAnonVma(machine, anonVma, live, active, linkedVmas, errors);
            if (rmap.Allocator.LiveAnonVmas != live.Count)
                errors.Add($"AnonVmaAllocator counts {rmap.Allocator.LiveAnonVmas} live anon_vmas but {live.Count} are reachable (leak?)");
            if (rmap.Allocator.LiveChains != chains)
                errors.Add($"AnonVmaAllocator counts {rmap.Allocator.LiveChains} live chains but VMAs hold {chains}");
            foreach (var (pfn, where) in mappings)
            {
                PageFrame frame = machine.Frames.Frame(pfn);
                if (frame.Mapping is SharedAnonObject obj)
                {
                    foreach (var (space, address) in where)
                        if (space.FindVma(address)?.SharedObject != obj)
                            errors.Add($"shared frame {pfn} at 0x{address:x}: its VMA is not a mapping of the frame's object");
                    continue;
                }
                if (!(frame.Mapping is AnonVma anonVma) || anonVma.IsFree)
                {
                    errors.Add($"mapped frame {pfn} has Mapping {frame.Mapping?.GetType().Name ?? "null"} (freed: {(frame.Mapping as AnonVma)?.IsFree})");
                    continue;
                }
                foreach (var (space, address) in where)
                {
                    Vma vma = space.FindVma(address);
                    if (vma != null && !(linkedVmas.TryGetValue(anonVma, out var set) && set.Contains(vma)))
                        errors.Add($"frame {pfn} at 0x{address:x}: its VMA is not linked to the frame's anon_vma");
                }
            }
        }

        // One VMA's chain list; returns its length.
        static int CheckVmaChains(Vma vma, HashSet<AnonVma> live, Dictionary<AnonVma, int> active,
                                  Dictionary<AnonVma, HashSet<Vma>> linkedVmas, List<string> errors)
        {
            string where = $"VMA [0x{vma.Start:x}, 0x{vma.End:x})";
            ulong last = vma.PgOff + (vma.Length >> Page.Shift) - 1;
            int length = 0;
            bool ownFound = false;
            AnonVmaChain previous = null;
            for (AnonVmaChain chain = vma.AnonVmaChainHead; chain != null; chain = chain.SameVmaNext)
            {
                if (++length > 100000) { errors.Add(where + ": chain list cycles"); break; }
                if (chain.SameVmaPrev != previous)
                    errors.Add(where + ": chain list Prev link is wrong");
                previous = chain;
                AnonVma anonVma = chain.AnonVma;
                if (chain.Vma != vma)
                    errors.Add(where + ": a chain on its list names another VMA");
                if (anonVma == null || anonVma.IsFree)
                {
                    errors.Add(where + ": chain to a missing or freed anon_vma");
                    continue;
                }
                if (chain.Tree != anonVma.Chains)
                    errors.Add(where + ": chain is not in its anon_vma's tree");
                if (chain.Start != vma.PgOff || chain.Last != last)
                    errors.Add(where + $": chain keyed [{chain.Start}, {chain.Last}] but VMA covers [{vma.PgOff}, {last}]");
                if (!linkedVmas.TryGetValue(anonVma, out var set))
                    linkedVmas[anonVma] = set = new HashSet<Vma>();
                if (!set.Add(vma))
                    errors.Add(where + ": two chains to the same anon_vma");
                live.Add(anonVma);
                if (anonVma == vma.AnonVma)
                    ownFound = true;
            }
            if (vma.IsShared && (vma.AnonVma != null || vma.AnonVmaChainHead != null))
                errors.Add(where + ": a shared VMA has anon_vma state");
            if (vma.AnonVma != null)
            {
                active[vma.AnonVma] = active.TryGetValue(vma.AnonVma, out int n) ? n + 1 : 1;
                if (!ownFound)
                    errors.Add(where + ": its own anon_vma is not on its chain list");
            }
            else if (length != 0)
                errors.Add(where + ": chains but no anon_vma");
            return length;
        }

        // One anon_vma: tree shape, back links and the three counters.
        static void CheckAnonVma(TestMachine machine, AnonVma anonVma, HashSet<AnonVma> live, Dictionary<AnonVma, int> active,
                                 Dictionary<AnonVma, HashSet<Vma>> linkedVmas, List<string> errors)
        {
            if (anonVma.IsFree)
            {
                errors.Add("a live anon_vma's Parent or Root is freed");
                return;
            }
            var nodes = new List<IntervalTreeNode>();
            CheckIntervalSubtree(anonVma.Chains.Root, nodes, errors);
            if (nodes.Count != anonVma.Chains.Count)
                errors.Add($"anon_vma tree holds {nodes.Count} chains but Count = {anonVma.Chains.Count}");
            var spaces = new HashSet<AddressSpace>(machine.Spaces);
            foreach (IntervalTreeNode node in nodes)
            {
                var chain = node as AnonVmaChain;
                if (chain == null || chain.AnonVma != anonVma || chain.Vma == null || chain.Vma.Owner == null
                    || !spaces.Contains(chain.Vma.Owner) || chain.Vma.Owner.FindVma(chain.Vma.Start) != chain.Vma)
                    errors.Add("anon_vma tree holds a chain whose VMA is not live or that names another anon_vma");
            }
            linkedVmas.TryGetValue(anonVma, out var linked);
            int linkedCount = linked?.Count ?? 0;
            if (linkedCount != nodes.Count)
                errors.Add($"anon_vma tree holds {nodes.Count} chains but {linkedCount} VMAs list one");
            int expectedActive = active.TryGetValue(anonVma, out int a) ? a : 0;
            if (anonVma.NumActiveVmas != expectedActive)
                errors.Add($"anon_vma NumActiveVmas = {anonVma.NumActiveVmas} but {expectedActive} VMAs use it");
            int children = 0, below = 0;
            foreach (AnonVma other in live)
            {
                if (other.Parent == anonVma) children++;
                if (other.Root == anonVma && other != anonVma) below++;
            }
            if (anonVma.NumChildren != children)
                errors.Add($"anon_vma NumChildren = {anonVma.NumChildren} but {children} live anon_vmas name it as parent");
            int expectedRefs = (nodes.Count > 0 ? 1 : 0) + (anonVma.IsRoot ? below : 0);
            if (anonVma.RefCount != expectedRefs)
                errors.Add($"anon_vma RefCount = {anonVma.RefCount}, expected {expectedRefs}");
            if (anonVma.Root == null || !anonVma.Root.IsRoot || anonVma.Parent == null || anonVma.Parent.Root != anonVma.Root)
                errors.Add("anon_vma Root/Parent links are inconsistent");
            if (!anonVma.IsRoot && nodes.Count == 0)
                errors.Add("a non-root anon_vma with an empty tree was not freed");
            if (!anonVma.IsRoot && linked != null && anonVma.Parent != null)
            {
                linkedVmas.TryGetValue(anonVma.Parent, out var parentLinked);
                foreach (Vma vma in linked)
                    if (parentLinked == null || !parentLinked.Contains(vma))
                        errors.Add($"VMA [0x{vma.Start:x}, 0x{vma.End:x}) is linked to an anon_vma but not to its parent");
            }
        }

        // Interval tree shape: (Start, Serial) order, AVL heights, SubtreeLast; returns height.
        public static int CheckIntervalSubtree(IntervalTreeNode node, List<IntervalTreeNode> inOrder, List<string> errors)
        {
            if (node == null)
                return 0;
            int left = CheckIntervalSubtree(node.Left, inOrder, errors);
            if (inOrder.Count > 0)
            {
                IntervalTreeNode before = inOrder[inOrder.Count - 1];
                if (before.Start > node.Start || (before.Start == node.Start && before.Serial >= node.Serial))
                    errors.Add("interval tree out of order");
            }
            inOrder.Add(node);
            int right = CheckIntervalSubtree(node.Right, inOrder, errors);
            int height = System.Math.Max(left, right) + 1;
            if (node.Height != height || System.Math.Abs(left - right) > 1)
                errors.Add($"interval tree node height {node.Height}, actual {height}, balance {left - right}");
            ulong subtreeLast = node.Last;
            if (node.Left != null) subtreeLast = System.Math.Max(subtreeLast, node.Left.SubtreeLast);
            if (node.Right != null) subtreeLast = System.Math.Max(subtreeLast, node.Right.SubtreeLast);
            if (node.SubtreeLast != subtreeLast || node.Last < node.Start)
                errors.Add("interval tree SubtreeLast is wrong");
            return height;
        }

        static void Add(Dictionary<ulong, int> counts, ulong pfn)
        {
            counts[pfn] = counts.TryGetValue(pfn, out int n) ? n + 1 : 1;
        }
    }
}
