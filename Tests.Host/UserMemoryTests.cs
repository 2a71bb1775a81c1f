using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // Kernel accesses to user memory (syscall buffers), xv6 cowtest's "copyout" cases.
    public unsafe class UserMemoryTests
    {
        [Fact]
        public void Copies_across_a_page_boundary_both_ways_and_faults_pages_in()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            byte[] data = new byte[100];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)(i + 1);
            ulong at = p + Page.Size - 50;
            fixed (byte* source = data)
                Assert.Equal(Errno.None, UserMemory.CopyToUser(a, at, source, (ulong)data.Length));
            Assert.Equal(2UL, m.Manager.Stat.DemandZeroFault);
            Assert.Equal(1, m.Read(a, at));
            Assert.Equal(100, m.Read(a, at + 99));
            byte[] back = new byte[100];
            fixed (byte* destination = back)
                Assert.Equal(Errno.None, UserMemory.CopyFromUser(a, destination, at, 100));
            Assert.Equal(data, back);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_kernel_write_into_a_cow_shared_page_breaks_cow_first()
        {
            using var m = new TestMachine(64);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            byte value = 9;
            Assert.Equal(Errno.None, UserMemory.CopyToUser(parent, p, &value, 1));
            Assert.Equal(9, m.Read(parent, p));
            Assert.Equal(1, m.Read(child, p));
            Assert.Equal(1UL, m.Manager.Stat.PgCowFault);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Unmapped_read_only_and_prot_none_buffers_give_EFAULT_without_side_effects()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            ulong ro = m.MapAnonymous(a, 1, Protection.Read);
            ulong none = m.MapAnonymous(a, 1, Protection.None);
            ulong rw = m.MapAnonymous(a, 1);
            byte value = 5;
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, ro, &value, 1));
            Assert.Equal(0, m.Read(a, ro));
            Assert.Equal(Errno.EFAULT, UserMemory.CopyFromUser(a, &value, none, 1));
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, 0x20_0000, &value, 1));
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, ulong.MaxValue - 2, &value, 8));
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_buffer_running_off_the_end_of_a_mapping_fails_after_copying_what_fit()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            const ulong at = 0x4000_0000;
            a.Mmap(at, Page.Size, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            byte* two = stackalloc byte[2];
            two[0] = 7;
            two[1] = 8;
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, at + Page.Size - 1, two, 2));
            Assert.Equal(7, m.Read(a, at + Page.Size - 1));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Running_out_of_frames_gives_ENOMEM()
        {
            using var m = new TestMachine(4);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 8);
            var buffer = new byte[8 * Page.Size];
            fixed (byte* source = buffer)
                Assert.Equal(Errno.ENOMEM, UserMemory.CopyToUser(a, p, source, (ulong)buffer.Length));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
