using System.Collections.Generic;
using Xunit;

namespace Cowbird.Tests.Host.Model
{
    // Replays of fixed op sequences: where a shrunk sequence from a failure report is
    // pasted (as a new [Fact]) once the bug is fixed, so it stays fixed.
    public class ModelReplayTests
    {
        static void AssertPasses(List<Op> ops, ModelOptions options = null)
        {
            var runner = options == null ? new ModelRunner() : new ModelRunner(options);
            ModelFailure failure = runner.Run(ops, new List<string>());
            if (failure != null)
                Assert.Fail(ModelRunner.Report("replay", failure, ops));
        }

        // From ModelHarnessSelfTests (seed 7 with DroppingTlb, 83 ops shrunk to 3): fork must
        // invalidate the parent's now write-protected brk page.
        [Fact]
        public void Fork_write_protects_a_written_brk_page()
        {
            AssertPasses(new List<Op>
            {
                new Op(OpKind.Brk, pid: 2, page: 11, count: 3, prot: 0, shared: false, newCount: 1, mode: 0, dest: 9, brkPages: 3, anyPage: 16, value: 213),
                new Op(OpKind.Write, pid: 2, page: 8, count: 2, prot: 2, shared: false, newCount: 1, mode: 2, dest: 22, brkPages: 0, anyPage: 25, value: 33),
                new Op(OpKind.Fork, pid: 2, page: 0, count: 2, prot: 2, shared: false, newCount: 3, mode: 1, dest: 23, brkPages: 5, anyPage: 11, value: 55),
            });
        }

        // The seeds' hard case by hand: a COW-shared region is moved by mremap in the
        // parent and split by mprotect in the child, and both keep their own data.
        [Fact]
        public void Mremap_move_and_mprotect_split_of_a_cow_shared_region()
        {
            AssertPasses(new List<Op>
            {
                new Op(OpKind.MmapFixed, page: 2, count: 4, prot: 2),
                new Op(OpKind.Write, anyPage: 2, value: 11),
                new Op(OpKind.Write, anyPage: 4, value: 12),
                new Op(OpKind.Fork),
                new Op(OpKind.Mremap, pid: 0, page: 2, count: 4, newCount: 4, mode: 2, dest: 12),
                new Op(OpKind.Mprotect, pid: 1, page: 3, count: 2, prot: 1),
                new Op(OpKind.Write, pid: 0, anyPage: 14, value: 21),
                new Op(OpKind.Write, pid: 1, anyPage: 4, value: 22),
                new Op(OpKind.Read, pid: 1, anyPage: 2),
                new Op(OpKind.Read, pid: 0, anyPage: 12),
                new Op(OpKind.UnmapRestore, pid: 0, anyPage: 12),
                new Op(OpKind.Exit, pid: 0),
                new Op(OpKind.Read, pid: 0, anyPage: 2),
            });
        }
    
        // From a swapping run under AnonOffsets.Reserve (seed 204, shrunk to 4 ops): two
        // adjacent read-only VMAs, one charged (Account) and one not, are not an mremap
        // group, so a move of a range spanning both is EFAULT as on Linux.
        [Fact]
        public void Reserve_mremap_refuses_a_range_spanning_vmas_that_differ_in_their_charge()
        {
            AssertPasses(new List<Op>
            {
                new Op(OpKind.MmapHint, pid: 7, page: 11, count: 4, prot: 4, shared: false, newCount: 3, mode: 2, dest: 17, brkPages: 3, anyPage: 24, value: 23),
                new Op(OpKind.MmapFixed, pid: 6, page: 13, count: 3, prot: 1, shared: false, newCount: 4, mode: 2, dest: 7, brkPages: 5, anyPage: 5, value: 6),
                new Op(OpKind.Mprotect, pid: 7, page: 12, count: 3, prot: 3, shared: true, newCount: 2, mode: 0, dest: 13, brkPages: 1, anyPage: 22, value: 93),
                new Op(OpKind.Mremap, pid: 4, page: 12, count: 2, prot: 2, shared: false, newCount: 4, mode: 2, dest: 2, brkPages: 2, anyPage: 26, value: 96),
            }, ModelOptions.For(Cowbird.Mm.Rmap.RmapDesign.AnonVma2004, Cowbird.Mm.Vm.AnonOffsets.Reserve));
        }
    }
}
