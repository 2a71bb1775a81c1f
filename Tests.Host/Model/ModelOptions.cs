using System.Collections.Generic;

namespace Cowbird.Tests.Host.Model
{
    // How a model run is set up. EXTENSION POINTS for swap and reclaim:
    //   - NewMachine: the machine factory (e.g. small RAM + a swap device once
    //     TestMachine has those options);
    //   - Mix: the operation kinds drawn, each listed as often as its weight (add
    //     OpKind.ForceReclaim once it exists).
    public sealed class ModelOptions
    {
        // Frames of the default machine: room for 6 processes x 30 pages plus tables.
        public const int DefaultFrames = 640;

        // Operation mix of the CI runs: accesses dominate, every VMA operation appears.
        public static readonly OpKind[] DefaultMix =
        {
            OpKind.Fork, OpKind.Exit, OpKind.MmapFixed, OpKind.MmapHint, OpKind.Munmap, OpKind.Mprotect,
            OpKind.Mremap, OpKind.Mremap, OpKind.Madvise, OpKind.Brk, OpKind.Referenced, OpKind.UnmapRestore,
            OpKind.Write, OpKind.Write, OpKind.Write, OpKind.Write, OpKind.Read, OpKind.Read, OpKind.Read, OpKind.Read,
        };

        public System.Func<TestMachine> NewMachine = () => new TestMachine(DefaultFrames);
        public IReadOnlyList<OpKind> Mix = DefaultMix;
        // Full content check of every process every this many steps (and at the end).
        public int VerifyEvery = 100;
        // Upper bound on the replays the shrinker may spend.
        public int MaxShrinkReplays = 400;
    }
}
