using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Reclaim
{
    // The two LRU lists of swap-backed user pages (Linux: lruvec's LRU_INACTIVE_ANON and
    // LRU_ACTIVE_ANON; shared anonymous pages are swap-backed too and live on the same
    // lists). Intrusive: a frame's PageFrame.Next/Prev link it by frame number, so the
    // lists cost no memory beyond the descriptors.
    //
    // Invariants (checked by the host invariant checker):
    //   - A frame is on exactly one list iff Flags.Lru is set; Flags.Active says which.
    //   - Every user-mapped private or shared anonymous frame, and every swap-cache frame,
    //     is on a list; page tables, radix-tree nodes and free frames never are.
    //   - Heads are the most recently added end; reclaim takes from the tails.
    // New pages start on the inactive list (Linux since 5.9): a page has to be referenced
    // again, seen by a scan, to earn its place on the active list.
    public sealed class Lru
    {
        const int Inactive = 0;
        const int ActiveList = 1;

        readonly FrameAllocator frames;
        readonly ulong[] heads = new ulong[2];
        readonly ulong[] tails = new ulong[2];
        readonly ulong[] counts = new ulong[2];

        public Lru(FrameAllocator frameAllocator)
        {
            frames = frameAllocator;
        }

        public ulong ActiveCount { get { return counts[ActiveList]; } }
        public ulong InactiveCount { get { return counts[Inactive]; } }
        // Least recently added/rotated end of each list (NoFrame when empty).
        public ulong InactiveTail { get { return tails[Inactive]; } }
        public ulong ActiveTail { get { return tails[ActiveList]; } }
        // Most recent end, for walking a list with Next (checkers).
        public ulong FirstOf(bool active) { return heads[active ? ActiveList : Inactive]; }
        public ulong Next(ulong pfn) { return frames.Frame(pfn).Next; }

        // Puts a page that is on no list at the head of the inactive list (lru_cache_add).
        public void Add(ulong pfn)
        {
            ref PageFrame frame = ref frames.Frame(pfn);
            if ((frame.Flags & PageFrameFlags.Lru) != 0)
                Mm.Panic("Lru.Add: page already on a list");
            frame.Flags &= ~PageFrameFlags.Active;
            Link(pfn, Inactive);
        }

        // Takes a page off whichever list it is on (before it is freed).
        public void Remove(ulong pfn)
        {
            ref PageFrame frame = ref frames.Frame(pfn);
            if ((frame.Flags & PageFrameFlags.Lru) == 0)
                Mm.Panic("Lru.Remove: page not on a list");
            Unlink(pfn, (frame.Flags & PageFrameFlags.Active) != 0 ? ActiveList : Inactive);
        }

        // Moves a listed page to the head of the active list (activate_page).
        public void Activate(ulong pfn)
        {
            Remove(pfn);
            frames.Frame(pfn).Flags |= PageFrameFlags.Active;
            Link(pfn, ActiveList);
        }

        // Moves a listed page to the head of the inactive list (deactivate, or a rotation
        // of an inactive page that gets another round).
        public void Deactivate(ulong pfn)
        {
            Remove(pfn);
            frames.Frame(pfn).Flags &= ~PageFrameFlags.Active;
            Link(pfn, Inactive);
        }

        // Links `pfn` at the head of list `list` and sets Flags.Lru.
        void Link(ulong pfn, int list)
        {
            ref PageFrame frame = ref frames.Frame(pfn);
            frame.Flags |= PageFrameFlags.Lru;
            frame.Prev = FrameAllocator.NoFrame;
            frame.Next = heads[list];
            if (heads[list] != FrameAllocator.NoFrame)
                frames.Frame(heads[list]).Prev = pfn;
            else
                tails[list] = pfn;
            heads[list] = pfn;
            counts[list]++;
        }

        // Unlinks `pfn` from list `list` and clears Flags.Lru and Flags.Active.
        void Unlink(ulong pfn, int list)
        {
            ref PageFrame frame = ref frames.Frame(pfn);
            if (frame.Prev != FrameAllocator.NoFrame)
                frames.Frame(frame.Prev).Next = frame.Next;
            else
                heads[list] = frame.Next;
            if (frame.Next != FrameAllocator.NoFrame)
                frames.Frame(frame.Next).Prev = frame.Prev;
            else
                tails[list] = frame.Prev;
            frame.Next = FrameAllocator.NoFrame;
            frame.Prev = FrameAllocator.NoFrame;
            frame.Flags &= ~(PageFrameFlags.Lru | PageFrameFlags.Active);
            counts[list]--;
        }
    }
}
