using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    public class DemandZeroTests
    {
        [Theory, AllDesigns]
        public void First_touch_maps_one_zeroed_frame_per_page_and_later_accesses_do_not_fault(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 8);
            ulong free = m.Frames.FreeFrames;
            m.Write(a, p + 3 * Page.Size + 17, 99);
            Assert.Equal(1UL, m.Manager.Stat.PgFault);
            Assert.Equal(1UL, m.Manager.Stat.DemandZeroFault);
            Assert.Equal(99, m.Read(a, p + 3 * Page.Size + 17));
            Assert.Equal(0, m.Read(a, p + 3 * Page.Size));
            Assert.Equal(1UL, m.Manager.Stat.PgFault);
            // One data frame plus PDPT, PD and PT on the way; VmStat reports the same.
            Assert.Equal(free - 4, m.Frames.FreeFrames);
            Assert.Equal(free - 4, m.Manager.Stat.FreeFrames);
            Assert.Equal(64UL, m.Manager.Stat.TotalFrames);
            Assert.Equal(4UL, m.Manager.Stat.PageTablePages);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void The_frame_records_its_linear_page_index(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design, offsets: AnonOffsets.Linear);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 4);
            m.Write(a, p + 2 * Page.Size, 1);
            ulong pfn = a.PageTable.Lookup(p + 2 * Page.Size).Frame;
            PageFrame frame = m.Frames.Frame(pfn);
            Assert.Equal((p >> Page.Shift) + 2, frame.Index);
            Assert.Equal(1, frame.MapCount);
            Assert.True((frame.Flags & PageFrameFlags.Anonymous) != 0);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Running_out_of_frames_gives_OutOfMemory_and_leaks_nothing(RmapDesign design)
        {
            using var m = new TestMachine(8, rmap: design);
            m.AllowOvercommit();
            var a = m.NewSpace();                      // zero page, PML4: 6 left
            ulong p = m.MapAnonymous(a, 16);
            int touched = 0;
            FaultResult result = FaultResult.Handled;
            for (ulong i = 0; i < 16 && result == FaultResult.Handled; i++)
            {
                result = m.TryAccess(a, p + i * Page.Size, AccessKind.Write);
                if (result == FaultResult.Handled) touched++;
                m.Check();
            }
            Assert.Equal(FaultResult.OutOfMemory, result);
            Assert.Equal(3, touched);                  // 3 tables + 3 pages = 6 frames
            Assert.Equal(1UL, m.Manager.Stat.OomFault);
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Faults_decide_from_the_error_code(RmapDesign design)
        {
            using var m = new TestMachine(32, rmap: design);
            var a = m.NewSpace();
            ulong ro = m.MapAnonymous(a, 1, Protection.Read);
            ulong rw = m.MapAnonymous(a, 1);
            Assert.Equal(FaultResult.SegvAccErr, FaultHandler.Handle(a, ro, FaultErrorCode.User | FaultErrorCode.Write));
            Assert.Equal(FaultResult.SegvAccErr, FaultHandler.Handle(a, rw, FaultErrorCode.User | FaultErrorCode.InstructionFetch));
            Assert.Equal(FaultResult.SegvMapErr, FaultHandler.Handle(a, 0xFFFF_8000_0000_0000UL, FaultErrorCode.User));
            Assert.Equal(FaultResult.Handled, FaultHandler.Handle(a, rw, FaultErrorCode.User | FaultErrorCode.Write));
            Assert.True(a.PageTable.Lookup(rw).IsWritable);
            // The PTE already allows the write: a spurious fault (stale TLB), handled.
            Assert.Equal(FaultResult.Handled, FaultHandler.Handle(a, rw, FaultErrorCode.User | FaultErrorCode.Write | FaultErrorCode.Present));
            Assert.Equal(1UL, m.Manager.Stat.SpuriousFault);
            // A read fault on a present page means a supervisor page: access error.
            Assert.Equal(FaultResult.SegvAccErr, FaultHandler.Handle(a, rw, FaultErrorCode.User | FaultErrorCode.Present));
            Assert.Throws<MmPanicException>(() => FaultHandler.Handle(a, rw, FaultErrorCode.User | FaultErrorCode.ReservedBit));
            Assert.Equal(4UL, m.Manager.Stat.SegvFault);
            m.Check();
            m.AssertNoLeaks();
        }
    }
}
