using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host
{
    // Thrown by the invariant checker; lists every violation found.
    public sealed class InvariantViolation : System.Exception
    {
        public InvariantViolation(string message) : base(message) { }
    }

    // The whole-machine invariant checker tests run after every step. It reads the raw
    // page tables in host RAM (not through Kernel.Mm's own walkers) and checks:
    //   1. every leaf PTE holding a frame lies in a VMA and agrees with its protection
    //      (User; Writable only in writable VMAs; NX iff not PROT_EXEC; ProtNone iff
    //      PROT_NONE); no swap PTEs exist yet (swap is not wired in);
    //   2. each mapped frame's MapCount = number of PTEs holding it, RefCount = MapCount
    //      + TestMachine.ExtraReferences (none yet), and it is marked Anonymous;
    //   3. page-table pages are marked PageTable, RefCount 1, referenced exactly once;
    //      VmStat.PageTablePages equals their number;
    //   4. no frame is both free and mapped (or a page table); every allocated frame is
    //      accounted for (mapped or a page table): an unaccounted frame is a leak;
    //   5. the buddy free lists hold exactly the free frames, in aligned blocks, with no
    //      two free buddies left unmerged;
    //   6. every VMA tree is ordered, non-overlapping, page aligned, AVL balanced, and
    //      its list agrees with its in-order walk;
    //   7. no SoftMmu TLB entry is more permissive than the current page tables;
    //   8. the VmaCache counts exactly the VMAs in the live trees as in use;
    //   9. each mapped frame's Index is the linear page index of every address mapping it;
    //  10. each shared anonymous object lists exactly the VMAs using it, holds one reference
    //      on each of its pages (Shmem, Mapping = the object, Index = its index), and its
    //      radix-tree node frames are accounted for (SharedObjectInvariants).
    public static class Invariants
    {
        public static void Check(TestMachine machine)
        {
            var errors = new List<string>();
            var mapCounts = new Dictionary<ulong, int>();
            var tablePages = new Dictionary<ulong, int>();
            int vmas = 0;
            foreach (AddressSpace space in machine.Spaces)
            {
                vmas += space.Vmas.Count;
                CheckVmaTree(space, errors);
                CheckPageTables(machine, space, mapCounts, tablePages, errors);
            }
            var objectRefs = new Dictionary<ulong, int>();
            var nodeFrames = new Dictionary<ulong, int>();
            SharedObjectInvariants.Collect(machine, objectRefs, nodeFrames, errors);
            CheckFrames(machine, mapCounts, tablePages, objectRefs, nodeFrames, errors);
            CheckFreeLists(machine.Frames, errors);
            if (machine.Manager.VmaCache.InUse != vmas)
                errors.Add($"VmaCache has {machine.Manager.VmaCache.InUse} VMAs in use but the trees hold {vmas}");
            foreach (string stale in machine.Mmu.StaleEntries())
                errors.Add(stale);
            if (errors.Count > 0)
                throw new InvariantViolation(string.Join("\n", errors.GetRange(0, System.Math.Min(errors.Count, 20))));
        }

        // 1 and the raw data for 2-4: walks one space's user half.
        static void CheckPageTables(TestMachine machine, AddressSpace space, Dictionary<ulong, int> mapCounts,
                                    Dictionary<ulong, int> tablePages, List<string> errors)
        {
            ulong root = space.PageTable.Root;
            Add(tablePages, Page.AddressToFrame(root));
            WalkTable(machine, space, root, PageTable.Levels - 1, 0, mapCounts, tablePages, errors);
        }

        static void WalkTable(TestMachine machine, AddressSpace space, ulong table, int level, ulong tableBase,
                              Dictionary<ulong, int> mapCounts, Dictionary<ulong, int> tablePages, List<string> errors)
        {
            int limit = level == PageTable.Levels - 1 ? PageTable.KernelHalfFirstEntry : PageTable.EntriesPerTable;
            for (int i = 0; i < limit; i++)
            {
                ulong address = tableBase + (ulong)i * PageTable.SpanOf(level);
                var entry = new Pte(machine.Ram.ReadU64(table + (ulong)i * 8));
                if (entry.IsNone)
                    continue;
                if (level > 0)
                {
                    if (!entry.IsPresent || (entry.Raw & ~(Pte.FrameMask | Pte.Accessed)) != Pte.TableFlags)
                        errors.Add($"table entry at level {level} for 0x{address:x} is malformed: 0x{entry.Raw:x}");
                    Add(tablePages, entry.Frame);
                    WalkTable(machine, space, Page.FrameToAddress(entry.Frame), level - 1, address, mapCounts, tablePages, errors);
                    continue;
                }
                CheckLeaf(space, address, entry, errors);
                if (entry.HasFrame)
                {
                    Add(mapCounts, entry.Frame);
                    CheckLinearIndex(machine, space, address, entry, errors);
                }
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
                errors.Add($"frame {entry.Frame} has Index {index} but is mapped at 0x{address:x}, linear index {vma.PageIndexOf(address)}");
        }

        // A leaf PTE against the VMA that must contain it.
        static void CheckLeaf(AddressSpace space, ulong address, Pte entry, List<string> errors)
        {
            string where = $"PTE 0x{entry.Raw:x} at 0x{address:x}";
            if (entry.IsSwap)
            {
                errors.Add(where + ": swap entry, but swap is not wired in");
                return;
            }
            Vma vma = space.FindVma(address);
            if (vma == null)
            {
                errors.Add(where + ": outside every VMA");
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
                        errors.Add($"frame {pfn} is not usable RAM but is mapped");
                    continue;
                }
                PageFrame frame = frames.Frame(pfn);
                int maps = mapCounts.TryGetValue(pfn, out int m) ? m : 0;
                int tables = tablePages.TryGetValue(pfn, out int t) ? t : 0;
                bool isFree = (frame.Flags & PageFrameFlags.Free) != 0;
                if (isFree)
                {
                    freeFlagged++;
                    if (maps > 0 || tables > 0 || objectRefs.ContainsKey(pfn) || nodeFrames.ContainsKey(pfn))
                        errors.Add($"frame {pfn} is free but mapped {maps} times / a page table {tables} times / held by a shared object");
                    if (frame.RefCount != 0 || frame.MapCount != 0)
                        errors.Add($"free frame {pfn} has RefCount {frame.RefCount} MapCount {frame.MapCount}");
                    continue;
                }
                if (tables > 0)
                {
                    if (tables != 1 || maps != 0)
                        errors.Add($"page-table frame {pfn} referenced {tables} times as a table, {maps} as a page");
                    if ((frame.Flags & PageFrameFlags.PageTable) == 0 || frame.RefCount != 1 || frame.MapCount != 0)
                        errors.Add($"page-table frame {pfn}: flags {frame.Flags} RefCount {frame.RefCount} MapCount {frame.MapCount}");
                    continue;
                }
                if (nodeFrames.TryGetValue(pfn, out int nodes))
                {
                    if (nodes != 1 || maps != 0 || tables != 0 || frame.RefCount != 1 || frame.MapCount != 0)
                        errors.Add($"shared-object node frame {pfn}: used {nodes} times, mapped {maps}, RefCount {frame.RefCount}");
                    continue;
                }
                int others = machine.ExtraReferences == null ? 0 : machine.ExtraReferences(pfn);
                int heldByObject = objectRefs.TryGetValue(pfn, out int o) ? o : 0;
                others += heldByObject;
                if (maps > 0 || others > 0)
                {
                    if (frame.MapCount != maps)
                        errors.Add($"frame {pfn}: MapCount {frame.MapCount} but {maps} PTEs map it");
                    if (frame.RefCount != frame.MapCount + others)
                        errors.Add($"frame {pfn}: RefCount {frame.RefCount} but MapCount {frame.MapCount} + {others} other holders");
                    PageFrameFlags kind = frame.Flags & (PageFrameFlags.Anonymous | PageFrameFlags.Shmem | PageFrameFlags.PageTable);
                    if (kind != (heldByObject > 0 ? PageFrameFlags.Shmem : PageFrameFlags.Anonymous))
                        errors.Add($"mapped frame {pfn} has flags {frame.Flags}");
                    continue;
                }
                errors.Add($"frame {pfn} is allocated (RefCount {frame.RefCount}, flags {frame.Flags}) but nothing holds it: leaked");
            }
            if (freeFlagged != frames.FreeFrames)
                errors.Add($"{freeFlagged} frames flagged free but FreeFrames = {frames.FreeFrames}");
            ulong tableCount = (ulong)tablePages.Count;
            if (machine.Manager.Stat.PageTablePages != tableCount)
                errors.Add($"VmStat.PageTablePages = {machine.Manager.Stat.PageTablePages} but {tableCount} table pages are live");
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
            return height;
        }

        static void Add(Dictionary<ulong, int> counts, ulong pfn)
        {
            counts[pfn] = counts.TryGetValue(pfn, out int n) ? n + 1 : 1;
        }
    }
}
