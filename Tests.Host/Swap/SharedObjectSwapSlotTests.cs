using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Swap.SwapScenario;

namespace Cowbird.Tests.Host.Swap
{
    // As Eric Biederman proposed (1998): a shared object's swap slots should be
    // allocated contiguously. Reclaim puts page i of an object at the slot as far
    // from the object's last swapped page as the indexes are, so private pages
    // swapped out in between do not scatter it.
    public class SharedObjectSwapSlotTests
    {
        const int Pages = 8;

        // The swap entry the object of `vma` holds for page `index` (asserts it is swapped).
        static SwapEntry EntryOf(Vma vma, ulong index)
        {
            ulong entry = vma.SharedObject.Pages.Lookup(index);
            Assert.True((entry & SharedAnonObject.SwapTag) != 0, $"page {index} is not swapped out");
            return SharedAnonObject.SwapEntryOf(entry);
        }

        [Theory, AllDesigns]
        public void Pages_of_one_shared_object_get_consecutive_slots_between_private_swap_outs(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 1024, rmap: design);
            var a = m.NewSpace();
            long s = a.Mmap(0, Pages * Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
            Assert.True(s > 0);
            ulong p = m.MapAnonymous(a, Pages);
            for (int i = 0; i < Pages; i++)         // LRU order: shared 0, private 0, shared 1, ...
            {
                m.WriteU64(a, (ulong)s + (ulong)i * Page.Size, (ulong)i + 500);
                m.WriteU64(a, p + (ulong)i * Page.Size, (ulong)i + 900);
            }
            ReclaimAll(m);
            Vma vma = a.FindVma((ulong)s);
            SwapEntry first = EntryOf(vma, 0);
            for (ulong i = 1; i < Pages; i++)
            {
                SwapEntry e = EntryOf(vma, i);
                Assert.Equal(first.Type, e.Type);
                Assert.Equal(first.Slot + i, e.Slot);
            }
            for (int i = 0; i < Pages; i++)
            {
                Assert.Equal((ulong)i + 500, m.ReadU64(a, (ulong)s + (ulong)i * Page.Size));
                Assert.Equal((ulong)i + 900, m.ReadU64(a, p + (ulong)i * Page.Size));
            }
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Pages_swapped_in_descending_order_still_sit_next_to_each_other(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 1024, rmap: design);
            var a = m.NewSpace();
            long s = a.Mmap(0, Pages * Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
            ulong p = m.MapAnonymous(a, Pages);
            for (int i = Pages - 1; i >= 0; i--)
            {
                m.WriteU64(a, (ulong)s + (ulong)i * Page.Size, (ulong)i + 1);
                m.WriteU64(a, p + (ulong)i * Page.Size, (ulong)i + 2);
            }
            ReclaimAll(m);
            Vma vma = a.FindVma((ulong)s);
            SwapEntry last = EntryOf(vma, Pages - 1);
            for (ulong i = 0; i < Pages; i++)
                Assert.Equal(last.Slot - (Pages - 1) + i, EntryOf(vma, i).Slot);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_taken_preferred_slot_falls_back_to_any_free_slot(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 1024, rmap: design);
            var a = m.NewSpace();
            long s = a.Mmap(0, 2 * Page.Size, Protection.Read | Protection.Write, MapFlags.Shared | MapFlags.Anonymous);
            m.WriteU64(a, (ulong)s, 1);
            ReclaimAll(m);
            Vma vma = a.FindVma((ulong)s);
            SwapEntry first = EntryOf(vma, 0);
            // Take the slot page 1 would prefer (as another page of anything might have).
            Assert.Equal(0, m.Swap.DeviceOf(first.Type).Map.AllocateSlotAt(first.Slot + 1));
            Assert.Equal(-(int)Errno.ENOSPC, m.Swap.DeviceOf(first.Type).Map.AllocateSlotAt(first.Slot + 1));
            m.WriteU64(a, (ulong)s + Page.Size, 2);
            ReclaimWithoutChecks(m);
            SwapEntry second = EntryOf(vma, 1);
            Assert.NotEqual(first.Slot + 1, second.Slot);
            Assert.Equal(1UL, m.ReadU64(a, (ulong)s));
            Assert.Equal(2UL, m.ReadU64(a, (ulong)s + Page.Size));
            m.Swap.ClearCache(new SwapEntry(first.Type, first.Slot + 1));
            m.AssertNoLeaks();
        }

        // ReclaimAll without the checker, which would flag the hand-taken slot (HasCache
        // set, no page in the swap cache).
        static void ReclaimWithoutChecks(TestMachine m)
        {
            while (m.Manager.Reclaimer.Reclaim(ulong.MaxValue) > 0)
            {
            }
        }
    }
}
