using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // The tree of address spaces (Jamie Lokier 2000, linux-kernel "2.3.99-pre6-3+ VM
    // rebalancing"; the same idea as Mach's and BSD's shadow objects): object-based reverse
    // mapping where anonymous objects form a tree by copy-on-write.
    //
    // The design, as Cowbird runs it:
    //   - Each private anonymous VMA points to an AnonObject (PrepareAnon makes a root, or
    //     shares a compatible unflagged neighbour's so the two may merge later).
    //   - Fork shares the object: the child's VMA joins the parent VMA's object and both are
    //     flagged (Vma.ObjectShared).
    //   - The first copy-on-write in a flagged VMA (PrepareCowCopy) makes a child object
    //     whose Parent is the old one and moves the VMA to it, unflagged.
    //   - A page belongs to an object at its linear index (Mapping, Index): a new page
    //     (demand-zero or a COW copy) to its VMA's object.
    //   - An object shadows index i (Shadowed) when it holds its own COW copy of an
    //     ancestor's page at i, made while its one VMA was its only user. The walk of a
    //     page of object O at index i visits the VMAs of O and of every descendant that
    //     does not shadow i, nor sits below one that does.
    //
    // Why a shadow is only set while the object has one VMA and no child: two VMAs of one
    // object can cover the same index (split pieces after an mremap grow or a merge with a
    // new range, a fork child that zapped and refaulted), and a mark made for one of them
    // would hide the other's ancestor page from the walk. With a single user, the mark is
    // true for the whole subtree, and stays true: VMAs join the subtree only as fork copies
    // or split pieces of that user, or without pages.
    //
    // History: Linux never took the tree. 2.5 shipped PTE chains; 2.6 took Andrea
    // Arcangeli's anon_vma (2004), which keeps a page's Mapping fixed for its life, where
    // the tree moves pages between objects as it merges and collapses them. The BSDs and
    // Mach live with the tree and its chains of shadow objects (vm_object_collapse).
    //
    // "Lookup walks up the chain": in Jamie's post a fault finds a page by looking in the
    // VMA's object, then its parent, up to the root. Cowbird keeps pages in page tables and
    // swap entries in PTEs, so a fault always finds its page (or swap entry) through the
    // PTE; a PTE that is none is a zero page, never a parent's page. What follows the chain
    // is the rmap's bookkeeping: a page read back from swap that other PTEs still name
    // belongs to the first object, from the VMA's own upwards, that shadows its index (the
    // root if none does), so that the walk from there reaches every PTE holding the entry.
    // An exclusive one (no other holder) belongs to the VMA's own object.
    //
    // The two optimisations of the post, both done by Settle:
    //   - collapse: a leaf object none of whose PTEs holds an ancestor's page
    //     (InheritedPtes 0) nor any swap entry (whose owner a swap entry does not record)
    //     no longer needs its parent: the tree is cut there, and the parent, if nothing
    //     else refers to it, goes;
    //   - merge: an object with no VMA whose only reference is one child is merged into
    //     that child, which takes its place under the grandparent; frames naming the old
    //     object are re-pointed lazily (AnonObject.MergedInto, Owner).
    //
    // Invariants (Tests.Host/Rmap/ObjectTreeInvariants.cs checks them after every step):
    //   1. vma.AnonObject != null <=> vma is on that object's VMA list, once; Vmas and
    //      Children count the lists; a live object has References > 0 (Settle frees it at
    //      0) and never exactly no VMA and one child (Settle merges it); a root shadows
    //      nothing (Settle drops the shadows of an object that becomes one); shared VMAs
    //      have none.
    //   2. A mapped private frame's Owner is a live object that is the object of every
    //      VMA mapping it, or an ancestor of it; no object below the owner on the way down
    //      to such a VMA's object shadows the frame's Index (walks are complete).
    //   3. InheritedPtes = PTEs of the object's VMAs holding a frame whose Owner is not
    //      the object (so an ancestor); LiveObjects and ShadowIndexes count the live ones.
    // Ordering: PrepareAnon before a VMA's first page; ForkVma/CloneVma after the new VMA
    // has its range; zap before UnlinkVma; AbsorbVma before UnlinkVma(removed);
    // PrepareCowCopy before the copy's AddNewAnonPage. A Walk never reshapes the tree: a
    // RemovePage from its visitor only counts (Settle waits for the next hook).
    public sealed class ObjectTreeReverseMap : ReverseMap
    {
        readonly SharedObjectWalker objectWalker = new SharedObjectWalker();
        readonly ObjectPteCounter counter;
        bool walking;

        // Objects alive now and the shadowed indexes they hold (the design's metadata).
        public int LiveObjects { get; private set; }
        public long ShadowIndexes { get; private set; }
        // How often each optimisation ran (for tests).
        public long Collapses { get; private set; }
        public long Merges { get; private set; }

        public ObjectTreeReverseMap(MemoryManager memoryManager) : base(memoryManager)
        {
            counter = new ObjectPteCounter(this);
        }

        public override long MetadataObjects { get { return LiveObjects + ShadowIndexes; } }
        public override long MetadataBytes
        {
            get { return (long)LiveObjects * RmapObjectBytes.AnonObject + ShadowIndexes * RmapObjectBytes.ShadowIndex; }
        }

        // Objects count the PTEs of each VMA (ObjectPteCounter, the inherited-PTE counts),
        // which a table shared between two VMAs' spaces would count once for both.
        public override bool AllowsSharedTables { get { return false; } }

        // An object for `vma`'s first page: an adjacent compatible unflagged VMA's, else a
        // new root.
        public override void PrepareAnon(Vma vma)
        {
            if (vma.AnonObject != null)
                return;
            AnonObject obj = NeighbourObject(vma);
            if (obj == null)
                obj = NewObject(null);
            Link(vma, obj);
        }

        // Fork shares the object and flags both VMAs.
        public override void ForkVma(Vma child, Vma parent)
        {
            if (child.AnonObject != null)
                Mm.Panic("ObjectTreeReverseMap.ForkVma: child already has an object");
            if (parent.AnonObject == null)
                return;
            Link(child, parent.AnonObject);
            child.ObjectShared = true;
            parent.ObjectShared = true;
        }

        // A split-off or moved part keeps the object and the flag.
        public override void CloneVma(Vma destination, Vma source)
        {
            if (source.AnonObject == null)
                return;
            Link(destination, source.AnonObject);
            destination.ObjectShared = source.ObjectShared;
        }

        // The VMA leaves its object, which may then go, merge or collapse.
        public override void UnlinkVma(Vma vma)
        {
            AnonObject obj = vma.AnonObject;
            if (obj == null)
                return;
            Unlink(vma);
            vma.ObjectShared = false;
            Settle(obj);
        }

        // Nothing is keyed by range.
        public override void VmaRangeChanged(Vma vma) { }

        // VMAs of different objects never merge; a VMA without one may join any.
        public override bool IsMergeable(Vma a, Vma b)
        {
            return NoneOrSame(a == null ? null : a.AnonObject, b == null ? null : b.AnonObject);
        }

        // kept takes removed's object if it has none; flagged if either was (the safe side).
        public override void AbsorbVma(Vma kept, Vma removed)
        {
            if (!IsMergeable(kept, removed))
                Mm.Panic("ObjectTreeReverseMap.AbsorbVma: VMAs of different objects");
            if (kept.AnonObject == null && removed.AnonObject != null)
                Link(kept, removed.AnonObject);
            kept.ObjectShared |= removed.ObjectShared;
        }

        // The copy-on-write step of the design: a flagged VMA gets a child object first;
        // then, if the VMA is its object's only user and the page it copies belongs to an
        // ancestor, the object shadows that index from now on.
        public override void PrepareCowCopy(Vma vma, ulong address, ulong oldPfn)
        {
            if (vma.ObjectShared)
                MoveToNewChild(vma);
            AnonObject obj = vma.AnonObject;
            if (obj.Vmas == 1 && obj.Children == 0 && Owner(oldPfn) != obj
                && obj.Shadowed.Add(vma.PageIndexOf(address)))
                ShadowIndexes++;
        }

        // A new page (demand-zero or a COW copy) belongs to its VMA's object.
        protected override void NewAnonPage(ulong pfn, Vma vma, ulong address)
        {
            if (vma.AnonObject == null)
                Mm.Panic("ObjectTreeReverseMap.NewAnonPage: VMA has no object (PrepareAnon first)");
            SetMapping(pfn, vma.AnonObject, vma, address);
        }

        // A page back from swap: exclusive -> the VMA's object; else the first object up
        // the chain that shadows its index, or the root (see the top of this file).
        protected override void SwappedInPage(ulong pfn, Vma vma, ulong address, bool exclusive)
        {
            NewAnonPage(pfn, vma, address);
            if (exclusive)
                return;
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            AnonObject owner = LookUpChain(vma.AnonObject, frame.Index);
            frame.Mapping = owner;
            if (owner != vma.AnonObject)
                vma.AnonObject.InheritedPtes++;
        }

        // One more PTE holds `pfn` (fork's copy, a swap-in of a page mapped already): it is
        // inherited when the frame belongs to another object, which is then an ancestor.
        protected override void PteAdded(ulong pfn, Vma vma, ulong address)
        {
            if (vma.AnonObject != null && Owner(pfn) != vma.AnonObject)
                vma.AnonObject.InheritedPtes++;
        }

        // The last inherited PTE going may let the object collapse (never inside a walk).
        protected override void PteRemoved(ulong pfn, Vma vma, ulong address)
        {
            AnonObject obj = vma.AnonObject;
            if (obj == null || Owner(pfn) == obj)
                return;
            if (obj.InheritedPtes <= 0)
                Mm.Panic("ObjectTreeReverseMap.PteRemoved: inherited count already zero");
            obj.InheritedPtes--;
            if (obj.InheritedPtes == 0 && !walking)
                Settle(obj);
        }

        // The VMAs of the page's object and of its descendants that do not shadow the
        // page's index; shared pages through their object.
        public override bool Walk(ulong pfn, RmapVisitor visitor)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            if (frame.MapCount == 0)
                return true;
            if (!(frame.Mapping is AnonObject))
                return objectWalker.Walk(frame.Mapping, pfn, frame.Index, visitor);
            AnonObject owner = Owner(pfn);
            if (!owner.Live)
                Mm.Panic("ObjectTreeReverseMap.Walk: mapped frame belongs to a freed object");
            walking = true;
            bool finished = WalkSubtree(owner, pfn, frame.Index, visitor);
            walking = false;
            return finished;
        }

        // The object a private frame belongs to now: its Mapping, or the object that one
        // was merged into (the frame is re-pointed on the way).
        public AnonObject Owner(ulong pfn)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            AnonObject obj = frame.Mapping as AnonObject;
            if (obj == null || obj.MergedInto == null)
                return obj;
            while (obj.MergedInto != null)
                obj = obj.MergedInto;
            frame.Mapping = obj;
            return obj;
        }

        // Depth-first over `top` and its descendants, without recursion: the VMAs of each
        // object not cut off by a shadow of `index`.
        bool WalkSubtree(AnonObject top, ulong pfn, ulong index, RmapVisitor visitor)
        {
            if (!VisitVmas(top, pfn, index, visitor))
                return false;
            AnonObject node = top.FirstChild;
            while (node != null)
            {
                if (!node.Shadowed.Contains(index))
                {
                    if (!VisitVmas(node, pfn, index, visitor))
                        return false;
                    if (node.FirstChild != null)
                    {
                        node = node.FirstChild;
                        continue;
                    }
                }
                while (node != top && node.NextSibling == null)
                    node = node.Parent;
                node = node == top ? null : node.NextSibling;
            }
            return true;
        }

        static bool VisitVmas(AnonObject obj, ulong pfn, ulong index, RmapVisitor visitor)
        {
            for (Vma vma = obj.FirstVma; vma != null; vma = vma.ObjectNext)
                if (!VisitIfMapped(vma, pfn, index, visitor))
                    return false;
            return true;
        }

        // The first object from `obj` up to the root that shadows `index`, else the root.
        static AnonObject LookUpChain(AnonObject obj, ulong index)
        {
            while (!obj.Shadowed.Contains(index) && obj.Parent != null)
                obj = obj.Parent;
            return obj;
        }

        // Gives flagged `vma` a new child of its object and moves it there, unflagged. Its
        // PTEs all become inherited in the child; those holding an ancestor's page stop
        // counting in the old object, which may now merge into the child.
        void MoveToNewChild(Vma vma)
        {
            AnonObject old = vma.AnonObject;
            AnonObject child = NewObject(old);
            Unlink(vma);
            Link(vma, child);
            vma.ObjectShared = false;
            counter.Count(vma, old);
            old.InheritedPtes -= counter.Frames - counter.Owned;
            child.InheritedPtes = counter.Frames;
            Settle(old);
        }

        // Restores the tree's shape from `obj` upwards after it lost a reference, an
        // inherited PTE or a child: frees an object nothing refers to, merges one whose only
        // reference is a child into that child, collapses a leaf that needs its parent no
        // more; each change may allow the next one, one level up or in the merged child.
        void Settle(AnonObject obj)
        {
            while (obj != null)
            {
                AnonObject parent = obj.Parent;
                if (obj.References == 0)
                {
                    Detach(obj);
                    Free(obj);
                    obj = parent;
                }
                else if (obj.Vmas == 0 && obj.Children == 1)
                    obj = MergeIntoChild(obj);
                else if (CanCollapse(obj))
                {
                    Detach(obj);
                    DropShadows(obj);
                    Collapses++;
                    obj = parent;
                }
                else
                    return;
            }
        }

        // Collapse: `obj` is a leaf with a parent, none of its PTEs holds an ancestor's
        // page, and none holds a swap entry (which might name an ancestor's page).
        bool CanCollapse(AnonObject obj)
        {
            if (obj.Parent == null || obj.Children != 0 || obj.InheritedPtes != 0)
                return false;
            for (Vma vma = obj.FirstVma; vma != null; vma = vma.ObjectNext)
            {
                counter.Count(vma, obj);
                if (counter.SwapEntries != 0)
                    return false;
            }
            return true;
        }

        // Merges `obj` (no VMA, one child) into its child, which takes its place under
        // obj's parent; frames of obj now belong to the child, whose inherited PTEs are
        // counted again. Returns the child (it may collapse now).
        AnonObject MergeIntoChild(AnonObject obj)
        {
            AnonObject child = obj.FirstChild;
            AnonObject parent = obj.Parent;
            Detach(child);
            Detach(obj);
            if (parent != null)
                AddChild(parent, child);
            else
                DropShadows(child);
            obj.MergedInto = child;
            Free(obj);
            Merges++;
            child.InheritedPtes = 0;
            for (Vma vma = child.FirstVma; vma != null; vma = vma.ObjectNext)
            {
                counter.Count(vma, child);
                child.InheritedPtes += counter.Frames - counter.Owned;
            }
            return child;
        }

        // The object of an adjacent VMA `vma` could merge with (same kind and protection,
        // linear PgOff) if that VMA is not flagged, or null.
        static AnonObject NeighbourObject(Vma vma)
        {
            Vma next = vma.Next;
            if (next != null && next.AnonObject != null && !next.ObjectShared && CouldJoin(vma, next))
                return next.AnonObject;
            Vma prev = vma.Prev;
            if (prev != null && prev.AnonObject != null && !prev.ObjectShared && CouldJoin(prev, vma))
                return prev.AnonObject;
            return null;
        }

        // A new object under `parent` (null: a root).
        AnonObject NewObject(AnonObject parent)
        {
            AnonObject obj = new AnonObject();
            LiveObjects++;
            if (parent != null)
                AddChild(parent, obj);
            return obj;
        }

        // The object is dead: no VMA, no child, out of the tree.
        void Free(AnonObject obj)
        {
            if (!obj.Live || obj.Vmas != 0 || obj.Children != 0 || obj.Parent != null)
                Mm.Panic("ObjectTreeReverseMap.Free: object still in use");
            obj.Live = false;
            LiveObjects--;
            DropShadows(obj);
        }

        // `obj` is a root now (or dead): with no ancestor there is no page its shadows could
        // hide from the walk, so they go (a root never gets a parent again).
        void DropShadows(AnonObject obj)
        {
            ShadowIndexes -= obj.Shadowed.Count;
            obj.Shadowed.Clear();
        }

        // `child` at the head of `parent`'s list of children.
        static void AddChild(AnonObject parent, AnonObject child)
        {
            child.Parent = parent;
            child.PrevSibling = null;
            child.NextSibling = parent.FirstChild;
            if (parent.FirstChild != null)
                parent.FirstChild.PrevSibling = child;
            parent.FirstChild = child;
            parent.Children++;
        }

        // `obj` leaves its parent's list of children (nothing for a root).
        static void Detach(AnonObject obj)
        {
            AnonObject parent = obj.Parent;
            if (parent == null)
                return;
            if (obj.PrevSibling != null)
                obj.PrevSibling.NextSibling = obj.NextSibling;
            else
                parent.FirstChild = obj.NextSibling;
            if (obj.NextSibling != null)
                obj.NextSibling.PrevSibling = obj.PrevSibling;
            obj.NextSibling = null;
            obj.PrevSibling = null;
            obj.Parent = null;
            parent.Children--;
        }

        // `vma` at the head of `obj`'s list of VMAs.
        static void Link(Vma vma, AnonObject obj)
        {
            if (vma.AnonObject != null)
                Mm.Panic("ObjectTreeReverseMap.Link: VMA has an object already");
            vma.AnonObject = obj;
            vma.ObjectPrev = null;
            vma.ObjectNext = obj.FirstVma;
            if (obj.FirstVma != null)
                obj.FirstVma.ObjectPrev = vma;
            obj.FirstVma = vma;
            obj.Vmas++;
        }

        // `vma` off its object's list.
        static void Unlink(Vma vma)
        {
            AnonObject obj = vma.AnonObject;
            if (vma.ObjectPrev != null)
                vma.ObjectPrev.ObjectNext = vma.ObjectNext;
            else
                obj.FirstVma = vma.ObjectNext;
            if (vma.ObjectNext != null)
                vma.ObjectNext.ObjectPrev = vma.ObjectPrev;
            vma.ObjectNext = null;
            vma.ObjectPrev = null;
            vma.AnonObject = null;
            obj.Vmas--;
        }
    }
}
