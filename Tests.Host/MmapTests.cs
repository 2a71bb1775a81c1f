using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class MmapTests
    {
        const Protection RW = Protection.Read | Protection.Write;
        const MapFlags PrivateAnon = MapFlags.Private | MapFlags.Anonymous;

        [Fact]
        public void Anonymous_mapping_is_page_aligned_in_user_space_and_reads_as_zero()
        {
            using var m = new TestMachine(64, offsets: AnonOffsets.Linear);
            var a = m.NewSpace();
            long address = a.Mmap(0, 3 * Page.Size + 1, RW, PrivateAnon);
            Assert.True(address >= (long)AddressSpace.MmapMin);
            Assert.True(Page.IsAligned((ulong)address));
            Vma vma = a.FindVma((ulong)address);
            Assert.Equal(4 * Page.Size, vma.Length);
            Assert.Equal((ulong)address >> Page.Shift, vma.PgOff);
            for (ulong p = 0; p < 4; p++)
                Assert.Equal(0UL, m.ReadU64(a, (ulong)address + p * Page.Size + 8));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory]
        [InlineData(0UL, 0UL, (int)RW, (int)PrivateAnon, Errno.EINVAL)]                          // zero length
        [InlineData(0UL, 4096UL, 8, (int)PrivateAnon, Errno.EINVAL)]                            // unknown prot bit
        [InlineData(0UL, 4096UL, (int)RW, (int)MapFlags.Anonymous, Errno.EINVAL)]               // neither private nor shared
        [InlineData(0UL, 4096UL, (int)RW, (int)(PrivateAnon | MapFlags.Shared), Errno.EINVAL)]  // both
        [InlineData(0UL, 4096UL, (int)RW, (int)MapFlags.Private, Errno.EBADF)]                  // a file mapping, no file
        [InlineData(0x10001000UL + 1, 4096UL, (int)RW, (int)(PrivateAnon | MapFlags.Fixed), Errno.EINVAL)]  // unaligned fixed
        [InlineData(0UL, ulong.MaxValue - 100, (int)RW, (int)PrivateAnon, Errno.ENOMEM)]        // length overflows
        [InlineData(0x7FFF_FFFF_F000UL, 2 * 4096UL, (int)RW, (int)(PrivateAnon | MapFlags.Fixed), Errno.ENOMEM)]  // past user space
        [InlineData(0x1000UL, 4096UL, (int)RW, (int)(PrivateAnon | MapFlags.Fixed), Errno.ENOMEM)]  // below mmap_min_addr
        public void Bad_arguments_return_linux_errno(ulong address, ulong length, int prot, int flags, Errno expected)
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            Assert.Equal(-(long)expected, a.Mmap(address, length, (Protection)prot, (MapFlags)flags));
            Assert.Equal(0, a.Vmas.Count);
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_free_hint_is_used_and_a_taken_hint_is_moved_elsewhere()
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            const ulong hint = 0x5000_0000;
            Assert.Equal((long)hint, a.Mmap(hint + 123, Page.Size, RW, PrivateAnon));
            long second = a.Mmap(hint, Page.Size, RW, PrivateAnon);
            Assert.True(second > 0);
            Assert.NotEqual((long)hint, second);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Map_fixed_replaces_the_old_mapping_and_frees_its_pages()
        {
            using var m = new TestMachine(64);
            var a = m.NewSpace();
            const ulong at = 0x6000_0000;
            Assert.Equal((long)at, a.Mmap(at, 4 * Page.Size, RW, PrivateAnon | MapFlags.Fixed));
            for (ulong p = 0; p < 4; p++)
                m.Write(a, at + p * Page.Size, 7);
            ulong freeBefore = m.Frames.FreeFrames;
            Assert.Equal((long)(at + Page.Size), a.Mmap(at + Page.Size, 2 * Page.Size, Protection.Read, PrivateAnon | MapFlags.Fixed));
            Assert.Equal(freeBefore + 2, m.Frames.FreeFrames);
            Assert.Equal(3, a.Vmas.Count);
            Assert.Equal(7, m.Read(a, at));
            Assert.Equal(0, m.Read(a, at + Page.Size));
            Assert.Equal(7, m.Read(a, at + 3 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Map_fixed_noreplace_over_a_mapping_fails_with_EEXIST()
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            const ulong at = 0x6000_0000;
            a.Mmap(at, 2 * Page.Size, RW, PrivateAnon | MapFlags.Fixed);
            Assert.Equal(-(long)Errno.EEXIST, a.Mmap(at + Page.Size, 2 * Page.Size, RW, PrivateAnon | MapFlags.FixedNoReplace));
            Assert.Equal((long)(at + 2 * Page.Size), a.Mmap(at + 2 * Page.Size, Page.Size, RW, PrivateAnon | MapFlags.FixedNoReplace));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void When_no_gap_is_large_enough_mmap_fails_with_ENOMEM()
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            ulong span = AddressSpace.MmapTop - AddressSpace.MmapMin - Page.Size;
            Assert.Equal((long)AddressSpace.MmapMin, a.Mmap(AddressSpace.MmapMin, span, Protection.None, PrivateAnon | MapFlags.Fixed));
            Assert.Equal((long)(AddressSpace.MmapTop - Page.Size), a.Mmap(0, Page.Size, RW, PrivateAnon));
            Assert.Equal(-(long)Errno.ENOMEM, a.Mmap(0, Page.Size, RW, PrivateAnon));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Adjacent_compatible_mappings_merge_into_one_vma()
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            const ulong at = 0x6000_0000;
            a.Mmap(at, Page.Size, RW, PrivateAnon | MapFlags.Fixed);
            a.Mmap(at + Page.Size, Page.Size, RW, PrivateAnon | MapFlags.Fixed);
            a.Mmap(at + 2 * Page.Size, Page.Size, Protection.Read, PrivateAnon | MapFlags.Fixed);
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal(2 * Page.Size, a.Vmas.First.Length);
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Top_down_mappings_merge_with_the_vma_above_and_filling_a_hole_joins_both_sides()
        {
            using var m = new TestMachine(64, offsets: AnonOffsets.Linear);
            var a = m.NewSpace();
            ulong high = m.MapAnonymous(a, 2);
            m.Write(a, high, 1);
            ulong low = m.MapAnonymous(a, 2);
            Assert.Equal(high - 2 * Page.Size, low);
            Assert.Equal(1, a.Vmas.Count);
            Assert.Equal(low >> Page.Shift, a.Vmas.First.PgOff);
            m.Check();                                   // the touched page's Index is still linear
            const ulong at = 0x6000_0000;
            a.Mmap(at, Page.Size, RW, PrivateAnon | MapFlags.Fixed);
            a.Mmap(at + 2 * Page.Size, Page.Size, RW, PrivateAnon | MapFlags.Fixed);
            m.Write(a, at + 2 * Page.Size, 2);
            Assert.Equal(3, a.Vmas.Count);
            a.Mmap(at + Page.Size, Page.Size, RW, PrivateAnon | MapFlags.Fixed);
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal(3 * Page.Size, a.FindVma(at).Length);
            Assert.Equal(2, m.Read(a, at + 2 * Page.Size));
            m.Check();
            m.AssertNoLeaks();
        }

        [Fact]
        public void Protections_are_enforced_with_accerr_and_unmapped_addresses_give_maperr()
        {
            using var m = new TestMachine(32);
            var a = m.NewSpace();
            ulong none = m.MapAnonymous(a, 1, Protection.None);
            ulong readOnly = m.MapAnonymous(a, 1, Protection.Read);
            ulong exec = m.MapAnonymous(a, 1, Protection.Read | Protection.Exec);
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, none, AccessKind.Read));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, none, AccessKind.Write));
            Assert.Equal(FaultResult.Handled, m.TryAccess(a, readOnly, AccessKind.Read));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, readOnly, AccessKind.Write));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, readOnly, AccessKind.Fetch));
            Assert.Equal(FaultResult.Handled, m.TryAccess(a, exec, AccessKind.Fetch));
            Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(a, exec, AccessKind.Write));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, 0x20_0000, AccessKind.Read));
            Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(a, 0, AccessKind.Read));
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
