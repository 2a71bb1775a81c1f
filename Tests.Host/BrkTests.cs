using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class BrkTests
    {
        [Fact]
        public void Brk_grows_returns_the_new_break_and_the_heap_is_zeroed_memory()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong start = a.Brk(0);
            Assert.Equal(AddressSpace.DefaultBrkStart, start);
            Assert.Equal(start + 100, a.Brk(start + 100));
            Assert.Equal(0, m.Read(a, start + 4000));         // the rest of the page is usable
            Assert.Equal(start + 3 * Page.Size, a.Brk(start + 3 * Page.Size));
            m.Write(a, start + 2 * Page.Size, 7);
            Assert.Equal(1, a.Vmas.Count);                    // grown in place, one heap VMA
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, start + 3 * Page.Size, AccessKind.Read));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Shrinking_frees_the_pages_above_the_new_break()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong start = a.Brk(0);
            a.Brk(start + 4 * Page.Size);
            for (ulong i = 0; i < 4; i++)
                m.Write(a, start + i * Page.Size, 1);
            ulong free = m.Frames.FreeFrames;
            Assert.Equal(start + Page.Size + 1, a.Brk(start + Page.Size + 1));
            Assert.Equal(free + 2, m.Frames.FreeFrames);
            Assert.Equal(1, m.Read(a, start + Page.Size));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, start + 2 * Page.Size, AccessKind.Read));
            Assert.Equal(start, a.Brk(start));
            Assert.Equal(0, a.Vmas.Count);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Failed_requests_return_the_old_break()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong start = a.Brk(0);
            a.Brk(start + Page.Size);
            Assert.Equal(start + Page.Size, a.Brk(start - Page.Size));              // below the heap start
            a.Mmap(start + 4 * Page.Size, Page.Size, Protection.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            Assert.Equal(start + Page.Size, a.Brk(start + 8 * Page.Size));          // would cover a mapping
            Assert.Equal(start + Page.Size, a.Brk(ulong.MaxValue - 5));             // beyond user space
            Assert.Equal(start + Page.Size, a.Brk(start + 4 * Page.Size));          // no guard page left (Linux)
            Assert.Equal(start + 3 * Page.Size, a.Brk(start + 3 * Page.Size));      // one page below it is fine
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void The_child_inherits_the_break_and_its_heap_is_copy_on_write()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            Assert.Equal(Errno.None, a.SetBrkStart(0x60_0000));
            Assert.Equal(Errno.EINVAL, a.SetBrkStart(0x60_0001));
            a.Brk(0x60_0000 + Page.Size);
            m.Write(a, 0x60_0000, 3);
            var child = m.Fork(a);
            Assert.Equal(0x60_0000 + Page.Size, child.Brk(0));
            m.Write(child, 0x60_0000, 4);
            Assert.Equal(3, m.Read(a, 0x60_0000));
            Assert.Equal(Errno.EINVAL, a.SetBrkStart(0x70_0000));                    // heap already grown
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
