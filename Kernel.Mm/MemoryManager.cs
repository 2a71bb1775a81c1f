using Cowbird.Mm.Physical;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Reclaim;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Stats;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;

namespace Cowbird.Mm
{
    // Everything an address space needs from the machine, handed over once at boot
    // (or by a host test): physical memory, the frame allocator, the TLB and the
    // address-space switch, the counters, and the kernel's half of every PML4.
    // There is one MemoryManager per machine; AddressSpaces keep a reference to it.
    public sealed class MemoryManager
    {
        public readonly PhysicalMemory Physical;
        public readonly FrameAllocator Frames;
        public readonly Tlb Tlb;
        public readonly AddressSpaceSwitcher Switcher;
        public readonly VmStat Stat;
        // Overcommit accounting: the committed-page count and the mode that limits it.
        public readonly CommitAccounting Commit;
        // VMAs created and not yet released (Vma constructor / Vma.Release), for leak checks.
        public int LiveVmas { get; internal set; }
        // The reverse-mapping design in use (anon_vma unless SetReverseMap chose another);
        // the VMA code calls its hooks, reclaim walks with it.
        public ReverseMap Rmap { get; private set; }
        // How private anonymous VMAs get their page offsets (Linear unless SetAnonOffsets
        // chose Reserve, an option of the anon_vma designs).
        public AnonOffsets Offsets { get; private set; }
        // First of the live address spaces (Linux: the mmlist), linked through
        // AddressSpace.NextSpace; the page-table-scan rmap (and later swapoff) walks it.
        public AddressSpace FirstSpace { get; private set; }
        // Shared anonymous objects created and not yet released (their last mapping gone).
        public int LiveSharedObjects { get; internal set; }
        // The swap areas and the swap cache, or null until AttachSwap (no swapping).
        public SwapSpace Swap { get; private set; }
        // Frame-level swap-cache operations (swap-in, read-ahead, freeing entries).
        public readonly SwapState SwapState;
        // The active/inactive lists of swap-backed user pages.
        public readonly Lru Lru;
        // Watermarks and the page-out scan.
        public readonly Reclaimer Reclaimer;
        // What UserMemory does when a fault finds no memory (the kernel's OOM killer), or
        // null: the copy fails with ENOMEM.
        public OutOfMemoryHandler OutOfMemory { get; private set; }
        // The shared zero page: the one frame read faults on fresh private anonymous
        // memory map, and the switch that turns that off.
        public readonly ZeroPage ZeroPage;
        // Whether fork shares last-level page tables copy-on-write (AddressSpace.SharedTables.cs;
        // kernel command line mm.shared_pt=0 turns it off, for teaching and comparison).
        // It only decides what later forks do, so it may change at any time.
        public bool SharePageTables = true;

        // PML4 entries 256..511 (the kernel half) copied into every new address space so
        // all of them share the kernel's page tables. Null on the host: no kernel half.
        public readonly ulong[] KernelPml4Entries;

        // Wires the seams together. kernelPml4Entries is null or has exactly 256 entries.
        public MemoryManager(PhysicalMemory physical, FrameAllocator frames, Tlb tlb,
                             AddressSpaceSwitcher switcher, ulong[] kernelPml4Entries)
        {
            if (kernelPml4Entries != null && kernelPml4Entries.Length != 256)
                Mm.Panic("MemoryManager: kernel PML4 half must have 256 entries");
            Physical = physical;
            Frames = frames;
            Tlb = tlb;
            Switcher = switcher;
            KernelPml4Entries = kernelPml4Entries;
            Stat = new VmStat(frames);
            Commit = new CommitAccounting(Stat);
            Rmap = new AnonVmaReverseMap(this);
            Lru = new Lru(frames);
            SwapState = new SwapState(this);
            Reclaimer = new Reclaimer(this);
            ZeroPage = new ZeroPage(frames, physical);
        }

        // Gives the MM a swap space (Linux: the first swapon). Create it with
        // new SwapSpace(Frames.EndFrame) and SwapOn each device, before or after attaching;
        // from then on reclaim swaps pages out. Once only; panics on null.
        public void AttachSwap(SwapSpace swap)
        {
            if (swap == null || Swap != null)
                Mm.Panic("MemoryManager.AttachSwap: no swap space given, or one is attached already");
            Swap = swap;
            Stat.AttachSwap(swap);
        }

        // Installs the OOM response of faults the kernel takes for a process (UserMemory).
        public void SetOutOfMemoryHandler(OutOfMemoryHandler handler)
        {
            OutOfMemory = handler;
        }

        // The allocation path of every user page (anonymous, shared, swap-in); see
        // AllocateFrameWithReclaim. Returns a frame with RefCount 1 (contents not zeroed),
        // or NoFrame and the caller reports out-of-memory.
        public ulong AllocateUserFrame()
        {
            return AllocateFrameWithReclaim();
        }

        // Every allocation that can wait for reclaim goes through here: user pages, and
        // the frames of a process's kernel structures (its PML4 and page tables, the nodes
        // of a shared object's page index). When fewer than Watermarks.Low frames are free
        // it first reclaims up to Watermarks.High, and when the allocator is still empty it
        // reclaims once more. NoFrame only when nothing could be reclaimed (no swap, swap
        // full, every page pinned). Reclaim rewrites leaf PTEs of any space and shared
        // objects' entries, so a caller that read one before allocating reads it again
        // afterwards. Never called by reclaim itself (Reclaimer R4).
        public ulong AllocateFrameWithReclaim()
        {
            Reclaimer.BalanceIfLow();
            ulong pfn = Frames.AllocFrame();
            if (pfn == FrameAllocator.NoFrame && Reclaimer.Reclaim(1) > 0)
                pfn = Frames.AllocFrame();
            return pfn;
        }

        // Drops one reference to a user page (Linux: put_page on an LRU folio): the last
        // one takes the page off its LRU list and frees the frame.
        public void PutUserPage(ulong pfn)
        {
            ref PageFrame frame = ref Frames.Frame(pfn);
            if (frame.RefCount == 1 && (frame.Flags & PageFrameFlags.Lru) != 0)
                Lru.Remove(pfn);
            Frames.Put(pfn);
        }

        // Plugs in another reverse-mapping design. Only before the first VMA exists: the
        // hooks must have seen every VMA from its creation.
        public void SetReverseMap(ReverseMap rmap)
        {
            if (LiveVmas != 0 || rmap == null)
                Mm.Panic("MemoryManager.SetReverseMap: VMAs exist already (or no rmap given)");
            Rmap = rmap;
        }

        // Chooses where anonymous page offsets come from (AnonOffsets). Only before the
        // first VMA exists and after SetReverseMap: every VMA must get its offsets one way.
        // EINVAL for Reserve under a design that does not find pages by offset
        // (ReverseMap.UsesPageOffsets), EBUSY once VMAs exist.
        public Errno SetAnonOffsets(AnonOffsets mode)
        {
            if (LiveVmas != 0)
                return Errno.EBUSY;
            if (mode == AnonOffsets.Reserve && !Rmap.UsesPageOffsets)
                return Errno.EINVAL;
            Offsets = mode;
            return Errno.None;
        }

        // Adds a new address space to the list of live ones.
        internal void AddSpace(AddressSpace space)
        {
            space.NextSpace = FirstSpace;
            if (FirstSpace != null)
                FirstSpace.PrevSpace = space;
            FirstSpace = space;
        }

        // Takes a destroyed address space off the list.
        internal void RemoveSpace(AddressSpace space)
        {
            if (space.PrevSpace != null)
                space.PrevSpace.NextSpace = space.NextSpace;
            else
                FirstSpace = space.NextSpace;
            if (space.NextSpace != null)
                space.NextSpace.PrevSpace = space.PrevSpace;
            space.NextSpace = null;
            space.PrevSpace = null;
        }
    }
}
