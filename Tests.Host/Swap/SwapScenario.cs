using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    // Helpers for the swap and reclaim scenarios: page patterns, forced reclaim with the
    // invariant check after it, and PTE inspection.
    static class SwapScenario
    {
        // The value page `page` of a scenario holds at word `word`, for generation `tag`.
        public static ulong Pattern(int tag, int page, int word) => ((ulong)tag << 40) | ((ulong)page << 16) | (ulong)word | 1;

        // Words written per page (spread over the page so a partial copy is caught).
        public static readonly int[] Words = { 0, 1, 255, 511 };

        public static void WritePages(TestMachine m, AddressSpace space, ulong start, int pages, int tag)
        {
            for (int p = 0; p < pages; p++)
            {
                foreach (int w in Words)
                    m.WriteU64(space, start + (ulong)p * Page.Size + (ulong)w * 8, Pattern(tag, p, w));
                m.Check();
            }
        }

        public static void AssertPages(TestMachine m, AddressSpace space, ulong start, int pages, int tag)
        {
            for (int p = 0; p < pages; p++)
            {
                foreach (int w in Words)
                    Assert.Equal(Pattern(tag, p, w), m.ReadU64(space, start + (ulong)p * Page.Size + (ulong)w * 8));
                m.Check();
            }
        }

        // Forces reclaim of up to `frames` frames and checks every invariant afterwards.
        public static ulong ForceReclaim(TestMachine m, ulong frames)
        {
            ulong freed = m.Manager.Reclaimer.Reclaim(frames);
            m.Check();
            return freed;
        }

        // The common start of the fork-then-swap scenarios: a parent with `pages` pages
        // written with pattern `tag`, a child forked from it, then every page swapped out
        // (both PTEs name the same slots). Returns the mapping's address.
        public static ulong ForkAndSwapOut(TestMachine m, int pages, int tag, out AddressSpace parent, out AddressSpace child)
        {
            parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, pages);
            WritePages(m, parent, p, pages, tag);
            child = m.Fork(parent);
            m.Check();
            ReclaimAll(m);
            return p;
        }

        // A new process with `pages` private pages written with pattern `tag`, then every
        // page swapped out. Returns the mapping's address.
        public static ulong FillAndSwapOut(TestMachine m, int pages, int tag, out AddressSpace space)
        {
            space = m.NewSpace();
            ulong p = m.MapAnonymous(space, pages);
            WritePages(m, space, p, pages, tag);
            ReclaimAll(m);
            return p;
        }

        // Reclaims until nothing more can be freed (every swappable page is out).
        public static void ReclaimAll(TestMachine m)
        {
            while (m.Manager.Reclaimer.Reclaim(ulong.MaxValue) > 0)
                m.Check();
            m.Check();
        }

        public static Pte PteOf(AddressSpace space, ulong address) => space.PageTable.Lookup(address);
    }
}
