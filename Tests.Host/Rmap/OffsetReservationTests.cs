using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host.Rmap
{
    // AnonOffsets.Reserve (Jamie Lokier 2004), under both anon_vma designs: offsets from a
    // counter with room, growth inside the room, new pieces grouped for mremap, and the
    // walks still finding every page (m.Check compares each walk with the page tables and
    // checks the reservation invariants).
    public class OffsetReservationTests
    {
        const Protection ReadWrite = Protection.Read | Protection.Write;
        const MapFlags FixedPrivate = MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed;
        const ulong Base = 0x4000_0000;

        // Overcommit allowed: the tests map more than the machine's RAM and touch little of it.
        static TestMachine Machine(RmapDesign design, AnonOffsets offsets = AnonOffsets.Reserve)
        {
            var m = new TestMachine(256, rmap: design, offsets: offsets);
            m.AllowOvercommit();
            return m;
        }

        static void MapAt(AddressSpace a, ulong address, int pages)
        {
            Assert.Equal((long)address, a.Mmap(address, (ulong)pages * Page.Size, ReadWrite, FixedPrivate));
        }

        static ulong Move(AddressSpace a, ulong from, int oldPages, ulong to, int newPages)
        {
            long r = a.Mremap(from, (ulong)oldPages * Page.Size, (ulong)newPages * Page.Size,
                              RemapFlags.MayMove | RemapFlags.Fixed, to);
            Assert.Equal((long)to, r);
            return to;
        }

        // Writes page i of [address, +pages) with a value naming it; Verify reads them back.
        static void Fill(TestMachine m, AddressSpace a, ulong address, int pages, byte tag)
        {
            for (int i = 0; i < pages; i++)
                m.Write(a, address + (ulong)i * Page.Size, (byte)(tag + i));
        }

        static void Verify(TestMachine m, AddressSpace a, ulong address, int pages, byte tag)
        {
            for (int i = 0; i < pages; i++)
                Assert.Equal((byte)(tag + i), m.Read(a, address + (ulong)i * Page.Size));
        }

        [Theory, AnonVmaDesigns]
        public void A_fresh_mapping_gets_counter_offsets_with_room_on_both_sides(RmapDesign design)
        {
            using var m = Machine(design);
            var a = m.NewSpace();
            MapAt(a, Base, 4);
            MapAt(a, Base + 0x1000_0000, 1024);
            Vma small = a.FindVma(Base);
            Vma large = a.FindVma(Base + 0x1000_0000);
            Assert.Equal(AddressSpace.MinRoomPages, small.PgOff - small.ReservedStart);
            Assert.Equal(AddressSpace.MinRoomPages, small.ReservedEnd - small.PgOff - 4);
            Assert.Equal(1024UL, large.PgOff - large.ReservedStart);       // room = the unit's size
            Assert.Equal(1024UL, large.ReservedEnd - large.PgOff - 1024);
            Assert.Equal(small.ReservedEnd, large.ReservedStart);             // one counter
            Assert.Equal(large.ReservedEnd, a.NextOffset);
            m.Write(a, Base + 3 * Page.Size, 7);
            Assert.Equal(small.PgOff + 3, m.Frames.Frame(FrameAt(a, Base + 3 * Page.Size)).Index);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AnonVmaDesigns]
        public void Setting_the_option_is_refused_after_the_first_vma_and_under_designs_without_offsets(RmapDesign design)
        {
            using var m = Machine(design, AnonOffsets.Linear);
            m.MapAnonymous(m.NewSpace(), 1);
            Assert.Equal(Errno.EBUSY, m.Manager.SetAnonOffsets(AnonOffsets.Reserve));
            using var scan = new TestMachine(64, rmap: RmapDesign.PageTableScan, offsets: AnonOffsets.Linear);
            Assert.Equal(Errno.EINVAL, scan.Manager.SetAnonOffsets(AnonOffsets.Reserve));
            using var chains = new TestMachine(64, rmap: RmapDesign.PteChain, offsets: AnonOffsets.Linear);
            Assert.Equal(Errno.EINVAL, chains.Manager.SetAnonOffsets(AnonOffsets.Reserve));
            Assert.Equal(AnonOffsets.Linear, chains.Manager.Offsets);
        }

        [Theory, AnonVmaDesigns]
        public void Growth_stays_in_the_reservation_then_continues_in_a_grouped_piece(RmapDesign design)
        {
            using var m = Machine(design);
            var a = m.NewSpace();
            MapAt(a, Base, 4);
            Fill(m, a, Base, 4, 10);
            Vma vma = a.FindVma(Base);
            ulong pgOff = vma.PgOff;
            int inRoom = 4 + (int)AddressSpace.MinRoomPages;
            Assert.Equal((long)Base, a.Mremap(Base, 4 * Page.Size, (ulong)inRoom * Page.Size, RemapFlags.None, 0));
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            Assert.Equal(pgOff, a.FindVma(Base).PgOff);
            Fill(m, a, Base + 4 * Page.Size, 4, 20);
            Assert.Equal(pgOff + 5, m.Frames.Frame(FrameAt(a, Base + 5 * Page.Size)).Index);
            // One page more than the room: a second VMA with fresh offsets, one unit.
            Assert.Equal((long)Base, a.Mremap(Base, (ulong)inRoom * Page.Size, (ulong)(inRoom + 1) * Page.Size, RemapFlags.None, 0));
            m.Check();
            Assert.Equal(2, a.Vmas.Count);
            Assert.Equal(1, a.RemapUnits);
            Vma piece = a.FindVma(Base + (ulong)inRoom * Page.Size);
            Assert.Equal(Base + (ulong)(inRoom + 1) * Page.Size, a.RemapUnitEnd(a.FindVma(Base)));
            Assert.Equal((ulong)inRoom + 1, piece.PgOff - piece.ReservedStart);   // room for the whole unit
            m.Write(a, piece.Start, 99);
            m.Check();
            // The unit moves as one mapping and every page comes along.
            ulong to = Base + 0x1000_0000;
            Move(a, Base, inRoom + 1, to, inRoom + 1);
            m.Check();
            Verify(m, a, to, 4, 10);
            Verify(m, a, to + 4 * Page.Size, 4, 20);
            Assert.Equal(99, m.Read(a, to + (ulong)inRoom * Page.Size));
            Assert.Equal(1, a.RemapUnits);
            m.AssertNoLeaks();
        }

        // The case the post is about: a buffer that mremap moved keeps its offsets, so under
        // linear offsets nothing mapped next to it later can merge with it.
        [Theory]
        [InlineData(RmapDesign.AnonVmaChain, AnonOffsets.Linear, 3)]
        [InlineData(RmapDesign.AnonVmaChain, AnonOffsets.Reserve, 1)]
        [InlineData(RmapDesign.AnonVma2004, AnonOffsets.Linear, 3)]
        [InlineData(RmapDesign.AnonVma2004, AnonOffsets.Reserve, 1)]
        public void Mappings_placed_next_to_a_moved_buffer_merge_with_it_only_under_reservations(RmapDesign design, AnonOffsets offsets, int vmas)
        {
            using var m = Machine(design, offsets);
            var a = m.NewSpace();
            MapAt(a, Base, 4);
            Fill(m, a, Base, 4, 1);
            ulong to = Move(a, Base, 4, Base + 0x1000_0000, 4);
            MapAt(a, to + 4 * Page.Size, 4);
            MapAt(a, to - 4 * Page.Size, 4);
            m.Check();
            Assert.Equal(vmas, a.Vmas.Count);
            Assert.Equal(vmas, a.RemapUnits);
            Fill(m, a, to - 4 * Page.Size, 12, 50);
            m.Check();
            Verify(m, a, to - 4 * Page.Size, 12, 50);
            m.AssertNoLeaks();
        }

        // Two adjacent buffers with their own anon_vmas and offsets never merge; Linux's
        // mremap refuses a range spanning both, a group makes them one unit.
        [Theory]
        [InlineData(RmapDesign.AnonVmaChain, AnonOffsets.Linear)]
        [InlineData(RmapDesign.AnonVmaChain, AnonOffsets.Reserve)]
        [InlineData(RmapDesign.AnonVma2004, AnonOffsets.Linear)]
        [InlineData(RmapDesign.AnonVma2004, AnonOffsets.Reserve)]
        public void Adjacent_vmas_that_cannot_merge_are_one_mremap_unit_under_reservations(RmapDesign design, AnonOffsets offsets)
        {
            using var m = Machine(design, offsets);
            var a = m.NewSpace();
            MapAt(a, Base, 2);
            Fill(m, a, Base, 2, 1);
            ulong far = Base + 0x1000_0000;
            MapAt(a, far, 2);
            Fill(m, a, far, 2, 30);
            Move(a, far, 2, Base + 2 * Page.Size, 2);   // right above the first, other offsets
            m.Check();
            Assert.Equal(2, a.Vmas.Count);
            long r = a.Mremap(Base, 4 * Page.Size, 6 * Page.Size, RemapFlags.MayMove | RemapFlags.Fixed, far);
            m.Check();
            if (offsets == AnonOffsets.Linear)
            {
                Assert.Equal(-(long)Errno.EFAULT, r);
                Assert.Equal(2, a.RemapUnits);
                m.AssertNoLeaks();
                return;
            }
            Assert.Equal((long)far, r);
            Assert.Equal(1, a.RemapUnits);
            Verify(m, a, far, 2, 1);
            Verify(m, a, far + 2 * Page.Size, 2, 30);
            Assert.Equal(0, m.Read(a, far + 5 * Page.Size));
            Assert.True(a.Vmas.IsFree(Base, Base + 4 * Page.Size));
            m.AssertNoLeaks();
        }

        [Theory, AnonVmaDesigns]
        public void A_refilled_hole_takes_back_the_offsets_it_had_and_mprotect_breaks_a_group(RmapDesign design)
        {
            using var m = Machine(design);
            var a = m.NewSpace();
            MapAt(a, Base, 3);
            Fill(m, a, Base, 3, 1);
            Assert.Equal(0, a.Munmap(Base + Page.Size, Page.Size));
            MapAt(a, Base + Page.Size, 1);
            m.Check();
            Assert.Equal(1, a.Vmas.Count);
            // A second piece grown past the room, then one page of it made read-only.
            int pages = 3 + (int)AddressSpace.MinRoomPages + 1;
            Assert.Equal((long)Base, a.Mremap(Base, 3 * Page.Size, (ulong)pages * Page.Size, RemapFlags.None, 0));
            Assert.Equal(1, a.RemapUnits);
            ulong pieceStart = a.FindVma(Base).End;
            Assert.Equal(0, a.Mprotect(pieceStart, Page.Size, Protection.Read));
            m.Check();
            Assert.Equal(2, a.RemapUnits);
            Assert.Equal(-(long)Errno.EFAULT, a.Mremap(Base, (ulong)pages * Page.Size, (ulong)(pages + 1) * Page.Size, RemapFlags.MayMove, 0));
            Assert.Equal(0, a.Mprotect(pieceStart, Page.Size, ReadWrite));
            Assert.Equal(1, a.RemapUnits);
            m.AssertNoLeaks();
        }

        [Theory, AnonVmaDesigns]
        public void Fork_copies_reservations_and_the_counter(RmapDesign design)
        {
            using var m = Machine(design);
            var parent = m.NewSpace();
            MapAt(parent, Base, 4);
            Fill(m, parent, Base, 4, 1);
            var child = m.Fork(parent);
            Assert.Equal(parent.NextOffset, child.NextOffset);
            Vma copy = child.FindVma(Base);
            Assert.Equal((parent.FindVma(Base).ReservedStart, parent.FindVma(Base).ReservedEnd), (copy.ReservedStart, copy.ReservedEnd));
            m.Write(child, Base, 77);                     // COW: the copy keeps the index
            Assert.Equal(copy.PgOff, m.Frames.Frame(FrameAt(child, Base)).Index);
            m.MapAnonymous(child, 8);
            Assert.Equal((long)Base, child.Mremap(Base, 4 * Page.Size, 400 * Page.Size, RemapFlags.MayMove, 0));
            m.Check();
            Verify(m, parent, Base, 4, 1);
            Assert.Equal(77, m.Read(child, Base));
            m.AssertNoLeaks();
        }
    }
}
