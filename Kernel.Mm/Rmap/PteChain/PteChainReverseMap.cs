using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // PTE chains: every frame keeps the exact list of PTEs that map it.
    //
    // History: Linus Torvalds sketched it in 1998 ("make the pte entries contain a next
    // pointer ... conceptually you can think of it as just making the pte larger") and
    // worried it doubles the page tables; Rik van Riel's rmap patch shipped it in the 2.5
    // kernels (struct pte_chain, with a "direct" form in struct page for the common case of
    // one mapping). It answers "who maps this page?" exactly, with no VMA search, but pays
    // on every fork: one chain entry per PTE copied, so forking a large process costs memory
    // and time proportional to its resident pages. That cost is what made Linux replace it
    // with object-based rmap (anon_vma, Andrea Arcangeli 2004) in 2.6.
    //
    // Structures (side tables indexed by frame, as the fields of struct page were):
    //   direct form: directSpace[f], directAddress[f]: the one PTE of a frame mapped once;
    //   chain form:  chains[f]: a list of PteChainEntry, used only for 2 or more PTEs.
    //
    // Invariants (Tests.Host/Invariants.cs checks them after every step):
    //   1. The entries of frame f (direct or chain) are exactly the PTEs holding f, each
    //      once: their number is f's MapCount, private or shared page alike.
    //   2. A frame has a direct entry, or a chain of at least 2 entries, or nothing
    //      (MapCount 0); never both.
    //   3. LiveEntries counts the chain entries allocated (direct forms are free).
    // Every page hook keeps them: AddNewAnonPage/AddSwappedInPage start a direct form,
    // DupPage/AddAnonPage/AddSharedPage add an entry, RemovePage removes one, MovePage
    // changes an address. The VMA hooks have nothing to do and every VMA may merge.
    // RemovePage may run from a Walk visitor for the visited PTE: Walk takes the next entry
    // before it visits one, and a removed entry keeps its Next.
    public sealed class PteChainReverseMap : PerPageReverseMap
    {
        readonly ulong firstFrame;
        readonly AddressSpace[] directSpace;
        readonly ulong[] directAddress;
        readonly PteChainEntry[] chains;

        // Chain entries allocated now (metadata beyond the per-frame tables).
        public long LiveEntries { get; private set; }

        public PteChainReverseMap(MemoryManager memoryManager) : base(memoryManager)
        {
            firstFrame = memoryManager.Frames.FirstFrame;
            ulong frames = memoryManager.Frames.EndFrame - firstFrame;
            directSpace = new AddressSpace[frames];
            directAddress = new ulong[frames];
            chains = new PteChainEntry[frames];
        }

        public override long MetadataObjects { get { return LiveEntries; } }
        public override long MetadataBytes { get { return LiveEntries * RmapObjectBytes.PteChainEntry; } }

        // The three side tables: directSpace, directAddress and chains, 8 bytes each.
        public override int BytesPerFrame { get { return 8 + 8 + 8; } }

        // A new frame: its linear index (swap-in checks it) and a direct entry.
        protected override void NewAnonPage(ulong pfn, Vma vma, ulong address)
        {
            SetMapping(pfn, null, vma, address);
            Add(pfn, vma.Owner, address);
        }

        protected override void PteAdded(ulong pfn, Vma vma, ulong address)
        {
            Add(pfn, vma.Owner, address);
        }

        protected override void PteRemoved(ulong pfn, Vma vma, ulong address)
        {
            Remove(pfn, vma.Owner, address);
        }

        // mremap moved the PTE: only the entry's address changes.
        protected override void PteMoved(ulong pfn, Vma vma, ulong from, ulong to)
        {
            ulong slot = Slot(pfn);
            if (chains[slot] == null)
            {
                if (directSpace[slot] != vma.Owner || directAddress[slot] != from)
                    Mm.Panic("PteChainReverseMap.PteMoved: moved PTE is not the frame's direct entry");
                directAddress[slot] = to;
                return;
            }
            for (PteChainEntry entry = chains[slot]; entry != null; entry = entry.Next)
                if (entry.Space == vma.Owner && entry.Address == from)
                {
                    entry.Address = to;
                    return;
                }
            Mm.Panic("PteChainReverseMap.PteMoved: moved PTE is not on the frame's chain");
        }

        // Visits each recorded PTE that still holds `pfn` (all of them, by invariant 1).
        public override bool Walk(ulong pfn, RmapVisitor visitor)
        {
            ulong slot = Slot(pfn);
            PteChainEntry entry = chains[slot];
            if (entry == null)
                return directSpace[slot] == null || Visit(directSpace[slot], directAddress[slot], pfn, visitor);
            while (entry != null)
            {
                PteChainEntry next = entry.Next;
                if (!Visit(entry.Space, entry.Address, pfn, visitor))
                    return false;
                entry = next;
            }
            return true;
        }

        // Number of PTEs recorded for `pfn` (invariant 1: its MapCount).
        public int EntryCount(ulong pfn)
        {
            ulong slot = Slot(pfn);
            if (chains[slot] == null)
                return directSpace[slot] == null ? 0 : 1;
            int count = 0;
            for (PteChainEntry entry = chains[slot]; entry != null; entry = entry.Next)
                count++;
            return count;
        }

        // Invariant 2 for `pfn`: no chain, or a chain of 2 or more and no direct entry.
        public bool HasValidForm(ulong pfn)
        {
            PteChainEntry head = chains[Slot(pfn)];
            return head == null || (head.Next != null && directSpace[Slot(pfn)] == null);
        }

        // Records the PTE at `address` in `space` for `pfn`: a direct entry when the frame
        // has none, else the chain form (turning a direct entry into the chain's first).
        void Add(ulong pfn, AddressSpace space, ulong address)
        {
            ulong slot = Slot(pfn);
            if (chains[slot] == null && directSpace[slot] == null)
            {
                directSpace[slot] = space;
                directAddress[slot] = address;
                return;
            }
            if (chains[slot] == null)
            {
                chains[slot] = NewEntry(directSpace[slot], directAddress[slot], null);
                directSpace[slot] = null;
                directAddress[slot] = 0;
            }
            chains[slot] = NewEntry(space, address, chains[slot]);
        }

        // Forgets the PTE at `address` in `space`; a chain left with one entry becomes
        // the direct form again.
        void Remove(ulong pfn, AddressSpace space, ulong address)
        {
            ulong slot = Slot(pfn);
            if (chains[slot] == null)
            {
                if (directSpace[slot] != space || directAddress[slot] != address)
                    Mm.Panic("PteChainReverseMap.Remove: PTE is not the frame's direct entry");
                directSpace[slot] = null;
                directAddress[slot] = 0;
                return;
            }
            PteChainEntry previous = null;
            PteChainEntry entry = chains[slot];
            while (entry != null && (entry.Space != space || entry.Address != address))
            {
                previous = entry;
                entry = entry.Next;
            }
            if (entry == null)
                Mm.Panic("PteChainReverseMap.Remove: PTE is not on the frame's chain");
            if (previous == null)
                chains[slot] = entry.Next;
            else
                previous.Next = entry.Next;
            LiveEntries--;
            PteChainEntry last = chains[slot];
            if (last.Next == null)
            {
                directSpace[slot] = last.Space;
                directAddress[slot] = last.Address;
                chains[slot] = null;
                LiveEntries--;
            }
        }

        PteChainEntry NewEntry(AddressSpace space, ulong address, PteChainEntry next)
        {
            LiveEntries++;
            PteChainEntry entry = new PteChainEntry();
            entry.Space = space;
            entry.Address = address;
            entry.Next = next;
            return entry;
        }

        // Index of `pfn` in the side tables.
        ulong Slot(ulong pfn)
        {
            return pfn - firstFrame;
        }

        // Visits the PTE at `address` in `space` if it holds `pfn`; true when there was
        // nothing to visit.
        static bool Visit(AddressSpace space, ulong address, ulong pfn, RmapVisitor visitor)
        {
            Vma vma = space.FindVma(address);
            ulong pteAddress = space.PageTable.FindPte(address);
            if (vma == null || pteAddress == 0)
                return true;
            Pte pte = space.PageTable.Read(pteAddress);
            if (!pte.HasFrame || pte.Frame != pfn)
                return true;
            return visitor.Visit(vma, address, pteAddress, pte);
        }
    }
}
