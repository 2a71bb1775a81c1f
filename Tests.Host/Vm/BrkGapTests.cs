using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class BrkGapTests
    {
        [Fact]
        public void Brk_keeps_one_free_page_below_the_next_mapping()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong start = a.Brk(0);
            Assert.Equal((long)(start + 4 * Page.Size),
                         a.Mmap(start + 4 * Page.Size, Page.Size, Protection.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            Assert.Equal(start, a.Brk(start + 4 * Page.Size));
            Assert.Equal(start, a.Brk(start + 3 * Page.Size + 1));
            Assert.Equal(start + 3 * Page.Size, a.Brk(start + 3 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_heap_shrunk_and_regrown_reads_zeros_and_below_start_is_refused()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong start = a.Brk(0);
            a.Brk(start + 3 * Page.Size);
            for (ulong i = 0; i < 3; i++)
                m.Write(a, start + i * Page.Size, 0xAB);
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(start + Page.Size, a.Brk(start + Page.Size));
            m.Check();
            Assert.Equal(free + 2, m.Frames.FreeFrames);
            Assert.Equal(start + 3 * Page.Size, a.Brk(start + 3 * Page.Size));
            Assert.Equal(0xAB, m.Read(a, start));
            Assert.Equal(0, m.Read(a, start + Page.Size));
            Assert.Equal(0, m.Read(a, start + 2 * Page.Size));
            Assert.Equal(start + 3 * Page.Size, a.Brk(start - 1));
            Assert.Equal(start + 3 * Page.Size, a.Brk(1));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
