using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // RLIMIT_AS (AddressSpace.SizeLimit), as Linux's may_expand_vm: every way a space grows
    // (mmap, MAP_FIXED over part of a mapping, brk, mremap growth and MREMAP_DONTUNMAP, stack
    // growth) is refused past the limit and leaves the space as it was; shrinking makes room,
    // and fork copies the limit.
    public class SizeLimitTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;
        const MapFlags Anonymous = MapFlags.Private | MapFlags.Anonymous;
        const ulong At = 0x4000_0000;

        static ulong Bytes(ulong pages) => pages * Page.Size;

        // A space with 8 pages mapped at At (the first one written) and a limit of 10 pages.
        static AddressSpace NewSpace(TestMachine m)
        {
            var a = m.NewSpace();
            Assert.Equal((long)At, a.Mmap(At, Bytes(8), ReadWrite, Anonymous | MapFlags.Fixed));
            m.Write(a, At, 0x5a);
            a.SizeLimit = Bytes(10);
            return a;
        }

        [Fact]
        public void Mmap_fits_up_to_the_limit_and_fixed_mappings_count_only_what_they_add()
        {
            using var m = new TestMachine(64);
            var a = NewSpace(m);
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Bytes(3), ReadWrite, Anonymous));
            Assert.Equal((long)At, a.Mmap(At, Bytes(8), ReadWrite, Anonymous | MapFlags.Fixed));
            m.Write(a, At + Bytes(7), 7);
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(At + Bytes(7), Bytes(4), ReadWrite, Anonymous | MapFlags.Fixed));
            Assert.Equal(7, m.Read(a, At + Bytes(7)));
            long two = a.Mmap(0, Bytes(2), ReadWrite, Anonymous);
            Assert.True(two > 0);
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Bytes(1), Protection.None, Anonymous));
            Assert.Equal(0, a.Munmap((ulong)two, Bytes(1)));
            Assert.True(a.Mmap(0, Bytes(1), Protection.None, Anonymous) > 0);
            var child = m.Fork(a);
            Assert.Equal(a.SizeLimit, child.SizeLimit);
            Assert.Equal(-(long)Errno.ENOMEM, child.Mmap(0, Bytes(1), ReadWrite, Anonymous));
            m.Check();
            m.Exit(child);
            m.Exit(a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void Brk_and_mremap_growth_stop_at_the_limit()
        {
            using var m = new TestMachine(64);
            var a = NewSpace(m);
            ulong start = a.Brk(0);
            Assert.Equal(start, a.Brk(start + Bytes(3)));
            Assert.Equal(start + Bytes(2), a.Brk(start + Bytes(2)));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(At, Bytes(8), Bytes(9), RemapFlags.MayMove, 0));
            Assert.Equal(start, a.Brk(start));
            Assert.Equal((long)At, a.Mremap(At, Bytes(8), Bytes(10), 0, 0));
            Assert.Equal((long)At, a.Mremap(At, Bytes(10), Bytes(6), 0, 0));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mremap(At, Bytes(6), Bytes(6), RemapFlags.MayMove | RemapFlags.DontUnmap, 0));
            long moved = a.Mremap(At, Bytes(4), Bytes(4), RemapFlags.MayMove | RemapFlags.DontUnmap, 0);
            Assert.True(moved > 0);
            Assert.Equal(0x5a, m.Read(a, (ulong)moved));
            Assert.Equal(0, m.Read(a, At));
            m.Check();
            m.Exit(a);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_stack_does_not_grow_past_the_limit()
        {
            using var m = new TestMachine(64);
            var a = NewSpace(m);
            const ulong top = 0x7000_0000;
            Assert.Equal((long)(top - Bytes(1)), a.Mmap(top - Bytes(1), Bytes(1), ReadWrite,
                Anonymous | MapFlags.Fixed | MapFlags.GrowsDown));
            m.Write(a, top - Bytes(1), 1);
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, top - Bytes(3) + 8, AccessKind.Write));
            Assert.Equal(top - Bytes(1), a.FindVma(top - 1).Start);
            m.Write(a, top - Bytes(2), 2);
            Assert.Equal(top - Bytes(2), a.FindVma(top - 1).Start);
            m.Check();
            m.Exit(a);
            m.AssertNoLeaks();
        }
    }
}
