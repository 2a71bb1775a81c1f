using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // Object-based reverse mapping for anonymous pages: anon_vma + anon_vma_chain, as in
    // Linux's mm/rmap.c (Andrea Arcangeli 2004, Rik van Riel's chains 2010).
    //
    // A private anonymous page's PageFrame.Mapping is the AnonVma it was created under and
    // its Index is its linear page offset: vma.PgOff + (address - vma.Start) / Page.Size.
    // To find its mappings, query Mapping's interval tree for chains whose VMA range holds
    // Index, and look at address vma.Start + (Index - vma.PgOff) pages in each. Because a
    // VMA keeps its PgOff when mremap moves it, the address follows the move.
    //
    // A shared anonymous page (PageFrameFlags.Shmem) has Mapping = its SharedAnonObject
    // and Index = its page index in the object; Walk hands it to a SharedObjectWalker, which goes
    // over the object's list of VMAs (Linux: i_mmap) instead of an interval tree. Shared
    // VMAs never get an anon_vma: none of the hooks below ever sees a shared page.
    //
    // Invariants (Tests.Host/Invariants.cs checks all of them after every test step):
    //   1. Every VMA that maps a page of anon_vma A has a chain into A. Hence: a VMA with
    //      pages has an AnonVma; vma.AnonVma == null <=> its chain list is empty; vma's own
    //      AnonVma is on its chain list; fork and split copy the whole chain list.
    //   2. Each chain sits in its VMA's list and in its AnonVma's tree under the VMA's
    //      current range [PgOff, PgOff + pages - 1] (VmaRangeChanged re-keys it).
    //   3. NumActiveVmas = VMAs whose AnonVma is this one; NumChildren = live anon_vmas
    //      whose Parent is this one, a root counting itself; RefCount = 1 while the tree is
    //      non-empty, plus (for a root) one per live non-root anon_vma below it.
    //   4. An anon_vma is freed when its tree empties and nothing holds it; a root is
    //      freed last, after every anon_vma that names it as Root.
    //   5. Every VMA linked to anon_vma C is also linked to C's Parent, so a parent's tree
    //      empties no earlier than its children's: Parent pointers of live anon_vmas are live.
    // Ordering rules:
    //   - PrepareAnon before the first AddNewAnonPage of a VMA (FaultHandler does it).
    //   - ForkVma / CloneVma after the new VMA has its final range, before pages appear in it.
    //   - Zap (or move) a VMA's PTEs before UnlinkVma: a page must never be mapped by a VMA
    //     that is not linked to its anon_vma.
    //   - When two VMAs merge: AbsorbVma(kept, removed), then UnlinkVma(removed), then grow
    //     kept and call VmaRangeChanged(kept).
    //   - A VMA's chain list is newest first, so UnlinkVma releases a root after its children.
    // Reuse (2015, "degree" heuristic): on fork, a child VMA reuses an ancestor anon_vma that
    // no VMA has as its own (NumActiveVmas == 0) and that has fewer than 2 children, so long
    // fork chains with exits keep anon_vmas at most about 2x the VMAs. ReuseIdleAncestors =
    // false turns it off (kernel rmap_reuse=0), as Linux was from 2010 to 2015: then every
    // fork makes a new anon_vma, and a fork chain whose parents exit keeps them all.
    public sealed class AnonVmaReverseMap : ReverseMap
    {
        // Creates and releases anon_vmas and chains, counting the live ones.
        public readonly AnonVmaAllocator Allocator = new AnonVmaAllocator();
        // Whether fork may reuse an idle ancestor anon_vma (the 2015 heuristic). Either
        // setting keeps every invariant; only the number of anon_vmas differs.
        public bool ReuseIdleAncestors = true;
        // Made once and reused by every walk: a walk allocates nothing.
        readonly ChainWalker walker = new ChainWalker();
        readonly SharedObjectWalker objectWalker = new SharedObjectWalker();

        public AnonVmaReverseMap(MemoryManager memoryManager) : base(memoryManager) { }

        public override long MetadataObjects { get { return Allocator.LiveAnonVmas + Allocator.LiveChains; } }
        public override long MetadataBytes
        {
            get { return (long)Allocator.LiveAnonVmas * RmapObjectBytes.AnonVma + (long)Allocator.LiveChains * RmapObjectBytes.AnonVmaChain; }
        }

        // Pages are found by offset: AnonOffsets.Reserve applies.
        public override bool UsesPageOffsets { get { return true; } }

        // anon_vma_prepare: gives `vma` an anon_vma if it has none, reusing a compatible
        // neighbour's (find_mergeable_anon_vma) so the two may merge later, else a new root.
        public override void PrepareAnon(Vma vma)
        {
            if (vma.AnonVma != null)
                return;
            AnonVma anonVma = FindMergeableAnonVma(vma);
            if (anonVma == null)
            {
                anonVma = Allocator.AllocAnonVma();
                anonVma.NumChildren++;              // a root is its own parent
            }
            Link(vma, anonVma);
            vma.AnonVma = anonVma;
            anonVma.NumActiveVmas++;
        }

        // page_add_new_anon_rmap: the new frame `pfn` at `address` belongs to vma's anon_vma.
        protected override void NewAnonPage(ulong pfn, Vma vma, ulong address)
        {
            if (vma.AnonVma == null)
                Mm.Panic("AnonVmaReverseMap.AddNewAnonPage: VMA has no anon_vma (PrepareAnon first)");
            SetMapping(pfn, vma.AnonVma, vma, address);
        }

        // A swapped-in page: exclusive -> vma's own anon_vma, like a new page; shared with
        // other swap PTEs (relatives by fork, maybe in other VMAs of the family) -> the
        // root anon_vma, the oldest one every VMA of the family is linked to (Linux:
        // "we must use the _oldest_ possible anon_vma for the folio mapping").
        protected override void SwappedInPage(ulong pfn, Vma vma, ulong address, bool exclusive)
        {
            NewAnonPage(pfn, vma, address);
            if (!exclusive)
                Manager.Frames.Frame(pfn).Mapping = vma.AnonVma.Root;
        }

        // anon_vma_fork: links `child` to every anon_vma of `parent`, then gives it its own:
        // a reused idle ancestor, or a new anon_vma under parent's (same root).
        public override void ForkVma(Vma child, Vma parent)
        {
            if (child.AnonVmaChainHead != null || child.AnonVma != null)
                Mm.Panic("AnonVmaReverseMap.ForkVma: child already has rmap state");
            if (parent.AnonVma == null)
                return;                             // nothing faulted yet: prepared lazily
            CloneChains(child, parent);
            if (child.AnonVma != null)
                return;                             // reused an idle ancestor
            AnonVma anonVma = Allocator.AllocAnonVma();
            anonVma.Root = parent.AnonVma.Root;
            anonVma.Parent = parent.AnonVma;
            anonVma.Root.RefCount++;
            anonVma.Parent.NumChildren++;
            Link(child, anonVma);
            child.AnonVma = anonVma;
            anonVma.NumActiveVmas++;
        }

        // anon_vma_clone for a split or a move: `destination` shares source's anon_vma and
        // is linked to all of source's anon_vmas.
        public override void CloneVma(Vma destination, Vma source)
        {
            if (destination.AnonVmaChainHead != null || destination.AnonVma != null)
                Mm.Panic("AnonVmaReverseMap.CloneVma: destination already has rmap state");
            destination.AnonVma = source.AnonVma;
            CloneChains(destination, source);
        }

        // unlink_anon_vmas: removes every chain of `vma`; anon_vmas whose tree empties drop
        // their parent link and their reference, and are freed when nothing else holds them.
        public override void UnlinkVma(Vma vma)
        {
            AnonVmaChain chain = vma.AnonVmaChainHead;
            while (chain != null)
            {
                AnonVmaChain next = chain.SameVmaNext;
                AnonVma anonVma = chain.AnonVma;
                anonVma.Chains.Remove(chain);
                if (anonVma.Chains.IsEmpty)
                    anonVma.Parent.NumChildren--;   // released in the second pass
                else
                {
                    RemoveFromVmaList(vma, chain);
                    Allocator.FreeChain(chain);
                }
                chain = next;
            }
            if (vma.AnonVma != null)
            {
                vma.AnonVma.NumActiveVmas--;
                vma.AnonVma = null;
            }
            // What is left names anon_vmas that just became empty, newest (children) first.
            while (vma.AnonVmaChainHead != null)
            {
                chain = vma.AnonVmaChainHead;
                AnonVma anonVma = chain.AnonVma;
                RemoveFromVmaList(vma, chain);
                Allocator.FreeChain(chain);
                PutAnonVma(anonVma);
            }
        }

        // Re-keys every chain of `vma` to its current [PgOff, PgOff + pages - 1]
        // (Linux: anon_vma_interval_tree_pre/post_update_vma).
        public override void VmaRangeChanged(Vma vma)
        {
            for (AnonVmaChain chain = vma.AnonVmaChainHead; chain != null; chain = chain.SameVmaNext)
            {
                IntervalTree tree = chain.AnonVma.Chains;
                tree.Remove(chain);
                tree.Insert(chain, vma.PgOff, LastIndex(vma));
            }
        }

        // is_mergeable_anon_vma: equal anon_vmas (or both none) merge; if only one side has
        // one, it may be shared only when that side never inherited chains from a parent
        // (its chain list is a single link). null stands for a new range without pages.
        public override bool IsMergeable(Vma a, Vma b)
        {
            AnonVma first = a == null ? null : a.AnonVma;
            AnonVma second = b == null ? null : b.AnonVma;
            if (first == second)
                return true;
            if (first == null)
                return HasSingleChain(b);
            if (second == null)
                return HasSingleChain(a);
            return false;
        }

        // dup_anon_vma: before `removed` merges into `kept`, kept takes removed's anon_vma
        // if it has none, so removed's pages stay reachable once removed is unlinked.
        public override void AbsorbVma(Vma kept, Vma removed)
        {
            if (!IsMergeable(kept, removed))
                Mm.Panic("AnonVmaReverseMap.AbsorbVma: VMAs are not mergeable");
            if (kept.AnonVma == null && removed.AnonVma != null)
            {
                kept.AnonVma = removed.AnonVma;
                CloneChains(kept, removed);
            }
        }

        // rmap_walk_anon. A frame no PTE maps is skipped: its Mapping may be stale.
        public override bool Walk(ulong pfn, RmapVisitor visitor)
        {
            ref PageFrame frame = ref Manager.Frames.Frame(pfn);
            if (frame.MapCount == 0)
                return true;
            AnonVma anonVma = frame.Mapping as AnonVma;
            if (anonVma == null)
                return objectWalker.Walk(frame.Mapping, pfn, frame.Index, visitor);
            if (anonVma.IsFree)
                Mm.Panic("AnonVmaReverseMap.Walk: mapped frame points to a freed anon_vma");
            walker.Target.Arm(pfn, frame.Index, visitor);
            bool finished = anonVma.Chains.VisitOverlapping(frame.Index, frame.Index, walker);
            walker.Target.Disarm();
            return finished;
        }

        // Last linear page index covered by `vma`.
        static ulong LastIndex(Vma vma)
        {
            return vma.PgOff + (vma.Length >> Page.Shift) - 1;
        }

        // True when `vma` is linked to exactly one anon_vma (never inherited parents' chains).
        static bool HasSingleChain(Vma vma)
        {
            return vma.AnonVmaChainHead != null && vma.AnonVmaChainHead.SameVmaNext == null;
        }

        // find_mergeable_anon_vma: the anon_vma of an adjacent VMA with which `vma` could
        // merge (same kind, linear PgOff), if that neighbour has a single chain.
        static AnonVma FindMergeableAnonVma(Vma vma)
        {
            AnonVma found = null;
            if (vma.Next != null)
                found = ReusableAnonVma(vma.Next, vma, vma.Next);
            if (found == null && vma.Prev != null)
                found = ReusableAnonVma(vma.Prev, vma.Prev, vma);
            return found;
        }

        // old's anon_vma if `lower` and `upper` (lower directly below upper) are compatible
        // and old (one of them) has a single chain; else null (Linux: reusable_anon_vma).
        static AnonVma ReusableAnonVma(Vma old, Vma lower, Vma upper)
        {
            bool compatible = lower.End == upper.Start && lower.Flags == upper.Flags
                && upper.PgOff == lower.PageIndexOf(upper.Start);
            if (compatible && old.AnonVma != null && HasSingleChain(old))
                return old.AnonVma;
            return null;
        }

        // anon_vma_clone core: links `destination` to each anon_vma of source, oldest first,
        // so its list ends up in the same newest-first order. When destination has no anon_vma
        // of its own yet (fork), an idle ancestor with fewer than 2 children is reused
        // (unless ReuseIdleAncestors is off).
        void CloneChains(Vma destination, Vma source)
        {
            AnonVmaChain last = source.AnonVmaChainHead;
            while (last != null && last.SameVmaNext != null)
                last = last.SameVmaNext;
            for (AnonVmaChain chain = last; chain != null; chain = chain.SameVmaPrev)
            {
                AnonVma anonVma = chain.AnonVma;
                Link(destination, anonVma);
                if (ReuseIdleAncestors && destination.AnonVma == null && source.AnonVma != null
                    && anonVma.NumChildren < 2 && anonVma.NumActiveVmas == 0)
                    destination.AnonVma = anonVma;
            }
            if (destination.AnonVma != null)
                destination.AnonVma.NumActiveVmas++;
        }

        // anon_vma_chain_link: a new chain at the head of vma's list and in anonVma's tree.
        void Link(Vma vma, AnonVma anonVma)
        {
            AnonVmaChain chain = Allocator.AllocChain();
            chain.Vma = vma;
            chain.AnonVma = anonVma;
            chain.SameVmaNext = vma.AnonVmaChainHead;
            if (vma.AnonVmaChainHead != null)
                vma.AnonVmaChainHead.SameVmaPrev = chain;
            vma.AnonVmaChainHead = chain;
            anonVma.Chains.Insert(chain, vma.PgOff, LastIndex(vma));
        }

        static void RemoveFromVmaList(Vma vma, AnonVmaChain chain)
        {
            if (chain.SameVmaPrev != null)
                chain.SameVmaPrev.SameVmaNext = chain.SameVmaNext;
            else
                vma.AnonVmaChainHead = chain.SameVmaNext;
            if (chain.SameVmaNext != null)
                chain.SameVmaNext.SameVmaPrev = chain.SameVmaPrev;
            chain.SameVmaNext = null;
            chain.SameVmaPrev = null;
        }

        // put_anon_vma: drops one reference; at zero frees it and then drops its reference
        // on the root (which is freed last).
        void PutAnonVma(AnonVma anonVma)
        {
            if (anonVma.RefCount <= 0)
                Mm.Panic("AnonVmaReverseMap.PutAnonVma: reference count already zero");
            anonVma.RefCount--;
            if (anonVma.RefCount > 0)
                return;
            if (anonVma.NumChildren != 0 || anonVma.NumActiveVmas != 0)
                Mm.Panic("AnonVmaReverseMap.PutAnonVma: freeing an anon_vma with children or VMAs");
            AnonVma root = anonVma.Root;
            Allocator.FreeAnonVma(anonVma);
            if (root != anonVma)
                PutAnonVma(root);
        }

        // The frame a walk looks for and what to do at each of its mappings.
        struct WalkTarget
        {
            ulong pfn;
            ulong index;
            RmapVisitor visitor;

            // Arms the target for one frame (Disarm drops the visitor after the walk).
            public void Arm(ulong framePfn, ulong frameIndex, RmapVisitor rmapVisitor)
            {
                pfn = framePfn;
                index = frameIndex;
                visitor = rmapVisitor;
            }

            public void Disarm()
            {
                Arm(0, 0, null);
            }

            // Visits the frame's PTE in `vma` if it maps the frame there.
            public bool VisitIn(Vma vma)
            {
                return VisitIfMapped(vma, pfn, index, visitor);
            }
        }

        // The per-chain step of Walk: the armed frame's PTE in the chain's VMA.
        sealed class ChainWalker : IntervalVisitor
        {
            public WalkTarget Target;

            public override bool Visit(IntervalTreeNode node)
            {
                return Target.VisitIn(((AnonVmaChain)node).Vma);
            }
        }
    }
}
