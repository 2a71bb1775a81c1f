using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // mincore as Linux 6.1 answers it: the order of the checks, one byte per page, and what
    // counts as resident (frames, the zero page, PROT_NONE pages, a shared object's pages;
    // not untouched or swapped-out memory).
    public class MincoreTests
    {
        const int EINVAL = -(int)Errno.EINVAL;
        const int ENOMEM = -(int)Errno.ENOMEM;
        const int EFAULT = -(int)Errno.EFAULT;

        // The vector's bytes for `pages` pages, read through the MMU.
        static string Vector(TestMachine m, AddressSpace a, ulong vec, int pages)
        {
            var text = new System.Text.StringBuilder();
            for (int i = 0; i < pages; i++)
                text.Append((char)('0' + m.Read(a, vec + (ulong)i)));
            return text.ToString();
        }

        [Fact]
        public void Checks_come_in_linux_order()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            ulong vec = m.MapAnonymous(a, 1);
            Assert.Equal(EINVAL, a.Mincore(p + 1, Page.Size, vec));
            Assert.Equal(ENOMEM, a.Mincore(p, ulong.MaxValue, vec));
            Assert.Equal(ENOMEM, a.Mincore(AddressSpace.TaskSize, Page.Size, vec));
            Assert.Equal(EFAULT, a.Mincore(p, Page.Size, AddressSpace.TaskSize));
            Assert.Equal(0, a.Mincore(p, 0, 0));
            Assert.Equal(0, a.Mincore(0, 0, AddressSpace.TaskSize));
            Assert.Equal(ENOMEM, a.Mincore(0x10000, Page.Size, 0));      // unmapped before the vector is used
            Assert.Equal(EFAULT, a.Mincore(p, Page.Size, 0));            // mapped, the vector is not
            Assert.Equal(ENOMEM, a.Mincore(p, 3 * Page.Size, vec));      // runs into a hole
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Touched_pages_zero_page_and_prot_none_are_resident_untouched_ones_not()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 5);
            ulong vec = m.MapAnonymous(a, 1);
            m.Write(a, p, 1);
            m.Read(a, p + 2 * Page.Size);                                // the zero page
            m.Write(a, p + 4 * Page.Size, 1);
            Assert.Equal(0, a.Mprotect(p + 4 * Page.Size, Page.Size, Protection.None));
            Assert.Equal(0, a.Mincore(p, 5 * Page.Size - 1, vec));      // a partial last page counts
            Assert.Equal("10101", Vector(m, a, vec, 5));
            Assert.Equal(0, a.Madvise(p, Page.Size, (int)Advice.DontNeed));
            Assert.Equal(0, a.Mincore(p, Page.Size, vec));
            Assert.Equal("0", Vector(m, a, vec, 1));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_hole_leaves_the_bytes_before_it_written()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 3);
            ulong vec = m.MapAnonymous(a, 1);
            Assert.Equal(0, a.Munmap(p + 2 * Page.Size, Page.Size));
            m.Write(a, p, 1);
            m.Write(a, p + Page.Size, 1);
            Assert.Equal(ENOMEM, a.Mincore(p, 3 * Page.Size, vec));
            Assert.Equal("11", Vector(m, a, vec, 2));
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_shared_page_another_process_touched_is_resident_here_too()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong s = m.MapShared(a, 2);
            var child = m.Fork(a);
            ulong vec = m.MapAnonymous(a, 1);
            m.Write(child, s + Page.Size, 9);
            Assert.Equal(0, a.Mincore(s, 2 * Page.Size, vec));
            Assert.Equal("01", Vector(m, a, vec, 2));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_swapped_out_page_is_not_resident_and_is_again_after_it_is_read(RmapDesign design)
        {
            using var m = new TestMachine(64, swapPages: 64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            ulong s = m.MapShared(a, 1);
            m.Write(a, p, 1);
            m.Write(a, p + Page.Size, 2);
            m.Write(a, s, 3);
            while (m.Manager.Reclaimer.Reclaim(ulong.MaxValue) > 0)
            {
            }
            ulong vec = m.MapAnonymous(a, 1);
            m.Write(a, vec, 7);
            Assert.Equal(0, a.Mincore(p, 2 * Page.Size, vec));
            Assert.Equal("00", Vector(m, a, vec, 2));
            Assert.Equal(0, a.Mincore(s, Page.Size, vec));
            Assert.Equal("0", Vector(m, a, vec, 1));
            Assert.Equal(2, m.Read(a, p + Page.Size));
            Assert.Equal(3, m.Read(a, s));
            Assert.Equal(0, a.Mincore(p + Page.Size, Page.Size, vec));
            Assert.Equal("1", Vector(m, a, vec, 1));
            Assert.Equal(0, a.Mincore(s, Page.Size, vec));
            Assert.Equal("1", Vector(m, a, vec, 1));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
