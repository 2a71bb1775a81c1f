using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;

namespace Cowbird.Mm.Vm
{
    // A virtual memory area (Linux: vm_area_struct): the range [Start, End) of one
    // address space mapped with one protection and one kind. Start and End are page
    // aligned, Start < End. The VMA lives in its AddressSpace's VmaTree.
    public sealed class Vma : AvlNode<Vma>
    {
        public ulong Start;
        public ulong End;
        public Protection Prot;
        public VmaFlags Flags;

        // Page offset of Start (Linux: vm_pgoff). For private anonymous memory it starts
        // as Start / Page.Size (AnonOffsets.Linear) or comes from the space's offset
        // counter (AnonOffsets.Reserve, AddressSpace.Offsets.cs), and is carried along by
        // splits (the upper half gets PgOff + pages below the split) and by mremap moves,
        // so a page's PageFrame.Index = PgOff + (address - Start) / Page.Size stays valid:
        // that is how the anon_vma rmap finds a page's address in each VMA.
        public ulong PgOff;

        // AnonOffsets.Reserve, private VMAs only: the page offsets [ReservedStart,
        // ReservedEnd) this VMA owns, its own [PgOff, PgOff + pages) plus room to grow into
        // on either side (Jamie Lokier 2004). Disjoint among the private VMAs of a space.
        // A new VMA owns exactly its own offsets; AddressSpace.Offsets.cs keeps the rest.
        public ulong ReservedStart;
        public ulong ReservedEnd;

        // The address space this VMA belongs to; null once released (Release).
        public AddressSpace Owner { get; private set; }

        // This VMA's own anon_vma (Linux: vma->anon_vma): new anonymous pages point to it.
        // Set by ReverseMap.PrepareAnon on the first anonymous fault (or by fork/split).
        // Owned by the rmap layer (Rmap/AnonVmaReverseMap.cs); null under other designs.
        public AnonVma AnonVma;
        // Head of this VMA's list of AnonVmaChain links to every anon_vma its pages may
        // belong to, newest first (Linux: vma->anon_vma_chain). Owned by the rmap layer.
        public AnonVmaChain AnonVmaChainHead;

        // The 2004 anon_vma design only (Rmap/AnonVma2004/, null under other designs): the
        // fork family this VMA's anonymous pages belong to, and its links in the family's
        // flat list of VMAs (Linux 2.6.7: vma->anon_vma and vma->anon_vma_node).
        public AnonVmaFamily Family;
        public Vma FamilyNext;
        public Vma FamilyPrev;

        // The object-tree design only (Rmap/ObjectTree/, null under other designs): the
        // anonymous object whose pages this VMA maps, its links in that object's list of
        // VMAs, and the fork flag: set when fork shared the object with another VMA, so that
        // the next copy-on-write gives this VMA a child object of its own.
        public AnonObject AnonObject;
        public Vma ObjectNext;
        public Vma ObjectPrev;
        public bool ObjectShared;

        // Shared anonymous mappings only (null for private ones): the object holding the
        // pages (Linux: the shmem inode behind vm_file) and this VMA's links in the
        // object's list of mappings (Linux: i_mmap). Owned by SharedAnonObject.
        public SharedAnonObject SharedObject;
        public Vma SharedNext;
        public Vma SharedPrev;

        // Links owned by VmaTree: the balanced tree (by Start: Left, Right, Height from
        // AvlNode) and the address-ordered list.
        public Vma Prev { get; internal set; }
        public Vma Next { get; internal set; }
        // The largest Gap in this VMA's subtree (Linux: rb_subtree_gap), kept by VmaTree so
        // that mmap finds a free range in O(log n) (AddressSpace.FindFreeRange).
        public ulong SubtreeGap { get; internal set; }

        // The free space just below this VMA: from the previous VMA's End (or MmapMin for
        // the first VMA) up to Start.
        public ulong Gap
        {
            get
            {
                ulong below = Prev != null ? Prev.End : AddressSpace.MmapMin;
                return Start > below ? Start - below : 0;
            }
        }

        internal override void UpdateAugmented()
        {
            ulong gap = Gap;
            if (Left != null && Left.SubtreeGap > gap)
                gap = Left.SubtreeGap;
            if (Right != null && Right.SubtreeGap > gap)
                gap = Right.SubtreeGap;
            SubtreeGap = gap;
        }

        // A VMA for [start, end) of `owner` with empty rmap and shared-object links; it
        // counts as live (MemoryManager.LiveVmas) until Release.
        public Vma(AddressSpace owner, ulong start, ulong end, Protection prot, VmaFlags flags, ulong pgOff)
        {
            if (owner == null)
                Mm.Panic("Vma: no owner");
            Owner = owner;
            Start = start;
            End = end;
            Prot = prot;
            Flags = flags;
            PgOff = pgOff;
            ReservedStart = pgOff;
            ReservedEnd = pgOff + ((end - start) >> Page.Shift);
            owner.Manager.LiveVmas++;
        }

        // The VMA is dead: it has left its tree, its rmap chains and its shared object
        // (Linux: vm_area_free). The collector frees the object once nothing refers to it;
        // the live count lets tests prove exit released every VMA. Panics on a second
        // release or a VMA still linked in a tree.
        public void Release()
        {
            if (Owner == null)
                Mm.Panic("Vma.Release: VMA released twice");
            if (Left != null || Right != null || Prev != null || Next != null)
                Mm.Panic("Vma.Release: VMA is still linked in a tree");
            Owner.Manager.LiveVmas--;
            Owner = null;
        }

        public ulong Length { get { return End - Start; } }
        public bool Contains(ulong address) { return address >= Start && address < End; }
        public bool IsPrivate { get { return (Flags & VmaFlags.Private) != 0; } }
        public bool IsShared { get { return (Flags & VmaFlags.Shared) != 0; } }

        // Linear page offset of the page containing `address` (Linux: linear_page_index).
        public ulong PageIndexOf(ulong address)
        {
            return PgOff + ((address - Start) >> Page.Shift);
        }

        // Address of the page with linear offset `index` (the inverse of PageIndexOf; the
        // index may lie outside the VMA).
        public ulong AddressOf(ulong index)
        {
            return Start + ((index - PgOff) << Page.Shift);
        }

        // Leaf PTE bits for a frame mapped in this VMA, before copy-on-write: User,
        // Writable if PROT_WRITE, NoExecute unless PROT_EXEC. A PROT_NONE VMA gets
        // ProtNone (not Present), so the frame stays recorded but inaccessible.
        public ulong PteFlags()
        {
            if (Prot == Protection.None)
                return Pte.ProtNone | Pte.User;
            ulong flags = Pte.Present | Pte.User;
            if ((Prot & Protection.Write) != 0)
                flags |= Pte.Writable;
            if ((Prot & Protection.Exec) == 0)
                flags |= Pte.NoExecute;
            return flags;
        }
    }
}
