using System.Collections.Generic;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host.Rmap
{
    // Invariant 10d of the checker, under the tree of address spaces (the invariants at the
    // top of Rmap/ObjectTree/ObjectTreeReverseMap.cs): object lists and counts, the tree's
    // shape after Settle (no shadows on a root), every mapped private frame's owner above
    // every VMA mapping it with no shadow of its index in between, and the inherited-PTE
    // counts, from the raw page tables.
    public static class ObjectTreeInvariants
    {
        public static void Check(TestMachine machine, ObjectTreeReverseMap rmap,
                                 Dictionary<ulong, HashSet<(AddressSpace, ulong)>> mappings, List<string> errors)
        {
            var live = new HashSet<AnonObject>();
            var usedBy = new Dictionary<AnonObject, int>();
            foreach (AddressSpace space in machine.Spaces)
                for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
                {
                    if (vma.AnonObject == null)
                        continue;
                    if (vma.IsShared)
                        errors.Add($"object tree: shared VMA 0x{vma.Start:x} has an object");
                    usedBy[vma.AnonObject] = usedBy.GetValueOrDefault(vma.AnonObject) + 1;
                    for (AnonObject obj = vma.AnonObject; obj != null && live.Add(obj); obj = obj.Parent) { }
                }
            long shadows = 0;
            foreach (AnonObject obj in live)
            {
                shadows += obj.Shadowed.Count;
                CheckLinks(obj, usedBy.GetValueOrDefault(obj), live, errors);
            }
            if (live.Count != rmap.LiveObjects || shadows != rmap.ShadowIndexes)
                errors.Add($"object tree: {rmap.LiveObjects} objects / {rmap.ShadowIndexes} shadows counted, {live.Count} / {shadows} reachable");
            var inherited = new Dictionary<AnonObject, long>();
            foreach (var (pfn, set) in mappings)
            {
                if ((machine.Frames.Frame(pfn).Flags & PageFrameFlags.Shmem) != 0)
                    continue;
                AnonObject owner = rmap.Owner(pfn);
                ulong index = machine.Frames.Frame(pfn).Index;
                foreach (var (space, address) in set)
                {
                    AnonObject obj = space.FindVma(address)?.AnonObject;
                    if (obj != null && obj != owner)
                        inherited[obj] = inherited.GetValueOrDefault(obj) + 1;
                    if (!Reaches(owner, obj, index))
                        errors.Add($"object tree: frame {pfn} (index {index}) mapped at 0x{address:x} by a VMA its owner's walk does not reach");
                }
            }
            foreach (AnonObject obj in live)
                if (obj.InheritedPtes != inherited.GetValueOrDefault(obj))
                    errors.Add($"object tree: InheritedPtes {obj.InheritedPtes}, {inherited.GetValueOrDefault(obj)} PTEs hold an ancestor's page");
        }

        // One object's lists, counts and shape.
        static void CheckLinks(AnonObject obj, int vmas, HashSet<AnonObject> live, List<string> errors)
        {
            if (!obj.Live || obj.MergedInto != null)
                errors.Add("object tree: a VMA or a child reaches a freed or merged object");
            int listed = 0;
            for (Vma vma = obj.FirstVma; vma != null; vma = vma.ObjectNext)
            {
                listed++;
                if (vma.AnonObject != obj || vma.Owner == null)
                    errors.Add($"object tree: listed VMA 0x{vma.Start:x} is dead or names another object");
                if (vma.ObjectNext != null && vma.ObjectNext.ObjectPrev != vma)
                    errors.Add("object tree: broken VMA list links");
            }
            if (listed != obj.Vmas || listed != vmas)
                errors.Add($"object tree: Vmas {obj.Vmas}, list {listed}, VMAs naming it {vmas}");
            int children = 0;
            for (AnonObject child = obj.FirstChild; child != null; child = child.NextSibling)
            {
                children++;
                if (child.Parent != obj || !live.Contains(child))
                    errors.Add("object tree: a child names another parent or no VMA reaches it");
                if (child.NextSibling != null && child.NextSibling.PrevSibling != child)
                    errors.Add("object tree: broken child list links");
            }
            if (children != obj.Children)
                errors.Add($"object tree: Children {obj.Children}, list {children}");
            if (obj.References == 0)
                errors.Add("object tree: a live object nothing refers to was not freed");
            if (obj.Vmas == 0 && obj.Children == 1)
                errors.Add("object tree: an object whose only reference is one child was not merged");
            if (obj.Parent == null && obj.Shadowed.Count != 0)
                errors.Add($"object tree: a root keeps {obj.Shadowed.Count} shadowed indexes with no ancestor to hide");
        }

        // True when `obj` is `owner` or below it with no object shadowing `index` between
        // (the owner itself excluded): the walk of `owner`'s page at `index` reaches obj.
        static bool Reaches(AnonObject owner, AnonObject obj, ulong index)
        {
            for (; obj != null; obj = obj.Parent)
            {
                if (obj == owner)
                    return true;
                if (obj.Shadowed.Contains(index))
                    return false;
            }
            return false;
        }
    }
}
