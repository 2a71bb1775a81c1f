using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // msync as Linux 6.1 answers it for anonymous memory: nothing to write back, the
    // argument checks and the walk's holes in Linux's order.
    public class MsyncTests
    {
        const int EINVAL = -(int)Errno.EINVAL;
        const int ENOMEM = -(int)Errno.ENOMEM;
        const int Async = (int)SyncFlags.Async;
        const int Sync = (int)SyncFlags.Sync;
        const int Invalidate = (int)SyncFlags.Invalidate;

        [Fact]
        public void Argument_checks_come_in_linux_order()
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(EINVAL, a.Msync(p, Page.Size, 8));
            Assert.Equal(EINVAL, a.Msync(p + 1, Page.Size, Sync));
            Assert.Equal(EINVAL, a.Msync(p, Page.Size, Async | Sync));
            Assert.Equal(EINVAL, a.Msync(0x10001, 0, 8));                       // flags before the address
            Assert.Equal(ENOMEM, a.Msync(p, ulong.MaxValue - 2 * Page.Size, Sync));  // wraps
            Assert.Equal(0, a.Msync(p, ulong.MaxValue, Sync));                   // rounds up to 0
            Assert.Equal(0, a.Msync(0x10000, 0, Sync));
            m.AssertNoLeaks();
        }

        [Fact]
        public void Mapped_private_and_shared_ranges_succeed_with_every_flag_combination()
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            ulong s = m.MapShared(a, 2);
            m.Write(a, p, 5);
            m.Write(a, s, 6);
            foreach (int flags in new[] { 0, Async, Sync, Invalidate, Async | Invalidate, Sync | Invalidate })
            {
                Assert.Equal(0, a.Msync(p, 2 * Page.Size, flags));
                Assert.Equal(0, a.Msync(s, 2 * Page.Size, flags));
            }
            Assert.Equal(5, m.Read(a, p));
            Assert.Equal(6, m.Read(a, s));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_hole_is_enomem_at_once_under_async_alone_and_at_the_end_otherwise()
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 3);
            Assert.Equal(0, a.Munmap(p + Page.Size, Page.Size));
            Assert.Equal(ENOMEM, a.Msync(p, 3 * Page.Size, Async));
            Assert.Equal(ENOMEM, a.Msync(p, 3 * Page.Size, Sync));
            Assert.Equal(ENOMEM, a.Msync(p, 3 * Page.Size, 0));
            Assert.Equal(ENOMEM, a.Msync(p, 4 * Page.Size, Sync));               // past the last VMA
            Assert.Equal(ENOMEM, a.Msync(p + Page.Size, Page.Size, Sync));       // only a hole
            Assert.Equal(ENOMEM, a.Msync(AddressSpace.TaskSize, Page.Size, Sync));
            m.AssertNoLeaks();
        }
    }
}
