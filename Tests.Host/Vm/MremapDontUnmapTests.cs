using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // MREMAP_DONTUNMAP, and a shared mapping grown past its object, as in Linux 6.1.
    public class MremapDontUnmapTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;
        const RemapFlags DontUnmap = RemapFlags.MayMove | RemapFlags.DontUnmap;

        [Fact]
        public void Dontunmap_needs_maymove_and_equal_lengths()
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size, RemapFlags.DontUnmap, 0));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, 2 * Page.Size, DontUnmap, 0));
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size + 1, DontUnmap, 0));  // compared unrounded
            Assert.Equal(-(long)Errno.EINVAL, a.Mremap(p, Page.Size, Page.Size, DontUnmap, p));      // a hint overlapping the source
            Assert.Equal(-(long)Errno.EFAULT, a.Mremap(p, 3 * Page.Size, 3 * Page.Size, DontUnmap, 0));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Dontunmap_moves_the_pages_and_leaves_an_empty_mapping(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 3);
            for (ulong i = 0; i < 3; i++)
                m.Write(a, p + i * Page.Size, (byte)(i + 1));
            var child = m.Fork(a);
            ulong committed = m.Manager.Commit.Committed;
            long moved = a.Mremap(p + Page.Size, Page.Size, Page.Size, DontUnmap, 0);
            Assert.True(moved > 0, "mremap failed: " + moved);
            ulong q = (ulong)moved;
            m.Check();
            Assert.Equal(committed + 1, m.Manager.Commit.Committed);    // the new range is charged too
            Assert.Equal(2, m.Read(a, q));
            Assert.NotNull(a.FindVma(p + Page.Size));
            Assert.True(a.PageTable.Lookup(p + Page.Size).IsNone);
            Assert.Equal(0, m.Read(a, p + Page.Size));
            Assert.Equal(1, m.Read(a, p));
            Assert.Equal(3, m.Read(a, p + 2 * Page.Size));
            m.Write(a, q, 9);
            Assert.Equal(2, m.Read(child, p + Page.Size));                // copy-on-write survives the move
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Dontunmap_to_a_free_hint_goes_there_and_fixed_replaces(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 1);
            m.Write(a, p, 5);
            ulong hint = 0x4000_0000UL;
            Assert.Equal((long)hint, a.Mremap(p, Page.Size, Page.Size, DontUnmap, hint));
            Assert.Equal(5, m.Read(a, hint));
            ulong other = m.MapAnonymous(a, 1);
            m.Write(a, other, 6);
            Assert.Equal((long)other, a.Mremap(hint, Page.Size, Page.Size, DontUnmap | RemapFlags.Fixed, other));
            Assert.Equal(5, m.Read(a, other));
            Assert.Equal(0, m.Read(a, hint));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Dontunmap_of_a_shared_mapping_leaves_the_old_range_on_the_object(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = (ulong)a.Mmap(0, Page.Size, ReadWrite, MapFlags.Shared | MapFlags.Anonymous);
            m.Write(a, p, 4);
            long moved = a.Mremap(p, Page.Size, Page.Size, DontUnmap, 0);
            Assert.True(moved > 0);
            m.Write(a, (ulong)moved, 8);
            Assert.Equal(8, m.Read(a, p));
            Assert.Equal(2, a.FindVma(p).SharedObject.MappingCount);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_shared_mapping_grown_past_its_object_is_sigbus_there(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = (ulong)a.Mmap(0, 2 * Page.Size, ReadWrite, MapFlags.Shared | MapFlags.Anonymous);
            long grown = a.Mremap(p, 2 * Page.Size, 4 * Page.Size, RemapFlags.MayMove, 0);
            Assert.True(grown > 0);
            ulong q = (ulong)grown;
            m.Write(a, q + Page.Size, 3);
            Assert.Equal(FaultResult.SigBusPastObject, m.TryAccess(a, q + 2 * Page.Size, AccessKind.Read));
            Assert.Equal(FaultResult.SigBusPastObject, m.TryAccess(a, q + 3 * Page.Size, AccessKind.Write));
            Assert.Equal(Errno.EFAULT, UserMemory.FaultIn(a, q + 2 * Page.Size, false));
            Assert.Equal(-(int)Errno.EFAULT, a.Madvise(q, 4 * Page.Size, (int)Advice.PopulateRead));
            Assert.Equal(3, m.Read(a, q + Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
