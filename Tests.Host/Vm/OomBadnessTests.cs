using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // OomBadness: resident pages + swap entries + page-table pages (Linux: oom_badness).
    public class OomBadnessTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;
        const MapFlags Sparse = MapFlags.Private | MapFlags.Anonymous | MapFlags.NoReserve;

        [Fact]
        public void One_byte_per_gib_scores_its_page_tables_above_a_denser_process()
        {
            using var m = new TestMachine(512);
            var dense = m.NewSpace();
            ulong d = m.MapAnonymous(dense, 100);
            for (ulong i = 0; i < 100; i++)
                m.Write(dense, d + i * Page.Size, 1);
            var sparse = m.NewSpace();
            const ulong Gib = 1UL << 30;
            long s = sparse.Mmap(0, 64 * Gib, ReadWrite, Sparse);
            Assert.True(s > 0);
            for (ulong i = 0; i < 64; i++)
                m.Write(sparse, (ulong)s + i * Gib, 1);
            var badness = new OomBadness();
            ulong denseScore = badness.Score(dense);
            Assert.Equal(100UL, badness.Resident);
            ulong sparseScore = badness.Score(sparse);
            Assert.Equal(64UL, badness.Resident);                 // fewer resident pages ...
            Assert.True(sparse.PageTable.TablePages >= 64 + 64);  // ... but a PT and a PD per GiB
            Assert.True(sparseScore > denseScore);
            Assert.Equal(100UL + dense.PageTable.TablePages, denseScore);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Swap_entries_count_and_page_tables_go_back_on_munmap()
        {
            using var m = new TestMachine(48, swapPages: 65);
            m.AllowOvercommit();
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 80);
            for (ulong i = 0; i < 80; i++)
                m.Write(a, p + i * Page.Size, 1);                  // more than RAM: some swapped
            var badness = new OomBadness();
            ulong score = badness.Score(a);
            Assert.True(badness.SwapEntries > 0);
            Assert.Equal(80UL, badness.Resident + badness.SwapEntries);
            Assert.Equal(80UL + a.PageTable.TablePages, score);
            Assert.Equal(0, a.Munmap(p, 80 * Page.Size));
            Assert.Equal(0UL, a.PageTable.TablePages);
            Assert.Equal(0UL, badness.Score(a));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
