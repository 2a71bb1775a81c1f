using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host
{
    // Invariant I12 of the checker (Invariants.cs): the shared anonymous objects reachable from the live
    // VMAs. Collects, per frame, the references the objects hold (one per resident page)
    // and the frames holding their radix-tree nodes, and checks each object's i_mmap list
    // against the VMAs that point at it and its pages' descriptors.
    public static class SharedObjectInvariants
    {
        public static void Collect(TestMachine machine, Dictionary<ulong, int> objectRefs,
                                   Dictionary<ulong, int> nodeFrames, List<string> errors,
                                   Dictionary<ulong, int> swapRefs = null)
        {
            var users = new Dictionary<SharedAnonObject, List<Vma>>();
            foreach (AddressSpace space in machine.Spaces)
                for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
                {
                    if (vma.IsShared != (vma.SharedObject != null))
                        errors.Add($"VMA 0x{vma.Start:x}: shared {vma.IsShared} but object {(vma.SharedObject != null)}");
                    if (vma.SharedObject == null)
                        continue;
                    if (!users.TryGetValue(vma.SharedObject, out var list))
                        users[vma.SharedObject] = list = new List<Vma>();
                    list.Add(vma);
                }
            int live = 0;
            foreach (var pair in users)
            {
                live++;
                CheckMappingList(pair.Key, pair.Value, errors);
                pair.Key.Pages.Walk(new Collector(machine.Frames, pair.Key, objectRefs, nodeFrames, errors, swapRefs));
            }
            if (machine.Manager.LiveSharedObjects != live)
                errors.Add($"{machine.Manager.LiveSharedObjects} shared objects are live (not released) but {live} are mapped");
        }

        // The object's list holds exactly the VMAs that name it.
        static void CheckMappingList(SharedAnonObject obj, List<Vma> vmas, List<string> errors)
        {
            var listed = new HashSet<Vma>();
            Vma previous = null;
            for (Vma vma = obj.FirstMapping; vma != null && listed.Count <= vmas.Count; vma = vma.SharedNext)
            {
                if (vma.SharedPrev != previous)
                    errors.Add("shared object: SharedPrev link is wrong");
                listed.Add(vma);
                previous = vma;
            }
            if (obj.MappingCount != vmas.Count || listed.Count != vmas.Count || !listed.SetEquals(vmas))
                errors.Add($"shared object lists {listed.Count} VMAs (MappingCount {obj.MappingCount}) but {vmas.Count} VMAs use it");
        }

        // Counts the mappings whose PTE holds `Frame`.
        sealed class PteFinder : SharedMappingVisitor
        {
            public ulong Frame;
            public int Found;

            public override bool Visit(Vma vma, ulong address)
            {
                Cowbird.Mm.Paging.Pte pte = vma.Owner.PageTable.Lookup(address);
                if (pte.HasFrame && pte.Frame == Frame)
                    Found++;
                return true;
            }
        }

        sealed class Collector : PageIndexVisitor
        {
            readonly FrameAllocator frames;
            readonly SharedAnonObject obj;
            readonly Dictionary<ulong, int> objectRefs;
            readonly Dictionary<ulong, int> nodeFrames;
            readonly List<string> errors;
            readonly Dictionary<ulong, int> swapRefs;

            public Collector(FrameAllocator frameAllocator, SharedAnonObject owner, Dictionary<ulong, int> refs,
                             Dictionary<ulong, int> nodes, List<string> errorList, Dictionary<ulong, int> swapEntries)
            {
                swapRefs = swapEntries;
                frames = frameAllocator;
                obj = owner;
                objectRefs = refs;
                nodeFrames = nodes;
                errors = errorList;
            }

            public override void VisitEntry(ulong index, ulong entry)
            {
                if (!SharedAnonObject.IsFrameEntry(entry))
                {
                    // A swapped-out page: the slot count is checked by Invariants.CheckSwap.
                    ulong key = SharedAnonObject.SwapEntryOf(entry).ToPte();
                    if (swapRefs != null)
                        swapRefs[key] = swapRefs.TryGetValue(key, out int s) ? s + 1 : 1;
                    return;
                }
                ulong pfn = SharedAnonObject.FrameOf(entry);
                objectRefs[pfn] = objectRefs.TryGetValue(pfn, out int n) ? n + 1 : 1;
                if (!frames.Manages(pfn))
                {
                    errors.Add($"shared object index {index}: frame {pfn} not managed");
                    return;
                }
                PageFrame frame = frames.Frame(pfn);
                if (frame.Mapping != obj || frame.Index != index)
                    errors.Add($"shared page frame {pfn}: Mapping/Index do not name object index {index} (Index {frame.Index})");
                // The reverse map finds exactly the PTEs that map the page.
                var finder = new PteFinder { Frame = pfn };
                obj.WalkMappings(index, finder);
                if (finder.Found != frame.MapCount)
                    errors.Add($"shared page frame {pfn}: rmap walk finds {finder.Found} PTEs, MapCount {frame.MapCount}");
            }

            public override void VisitNode(ulong pfn)
            {
                nodeFrames[pfn] = nodeFrames.TryGetValue(pfn, out int n) ? n + 1 : 1;
            }
        }
    }
}
