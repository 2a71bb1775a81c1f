using System.Collections.Generic;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host.Model
{
    // How a model run is set up. EXTENSION POINTS:
    //   - NewMachine: the machine factory (Swapping() uses a small RAM + a swap device);
    //   - Mix: the operation kinds drawn, each listed as often as its weight;
    //   - MaxProcesses: how many processes fork may create.
    public sealed class ModelOptions
    {
        // Frames of the default machine: room for 6 processes x 30 pages plus tables.
        public const int DefaultFrames = 640;

        // Frames of the swapping machine: far fewer than the processes' pages (8 x 30),
        // enough for their page tables; and its swap device, in pages.
        public const int SwappingFrames = 96;
        public const int SwappingSwapPages = 1024;

        // Operation mix of the CI runs: accesses dominate, every VMA operation appears.
        public static readonly OpKind[] DefaultMix =
        {
            OpKind.Fork, OpKind.Exit, OpKind.MmapFixed, OpKind.MmapHint, OpKind.MmapNoReplace, OpKind.Munmap,
            OpKind.Mprotect, OpKind.Mremap, OpKind.Mremap, OpKind.MoveVma, OpKind.Madvise, OpKind.Brk,
            OpKind.Referenced, OpKind.UnmapRestore,
            OpKind.Write, OpKind.Write, OpKind.Write, OpKind.Write, OpKind.Read, OpKind.Read, OpKind.Read, OpKind.Read,
        };

        // The default mix plus forced reclaim, for the swapping machine.
        public static readonly OpKind[] SwappingMix = With(DefaultMix, OpKind.ForceReclaim, OpKind.ForceReclaim);

        public System.Func<TestMachine> NewMachine = () => new TestMachine(DefaultFrames);

        // The default machine under reverse-mapping design `design` (with anonymous page
        // offsets `offsets`; null: TestMachine's default, COWBIRD_RMAP_OFFSETS).
        public static ModelOptions For(RmapDesign design, AnonOffsets? offsets = null)
        {
            return new ModelOptions { NewMachine = () => new TestMachine(DefaultFrames, rmap: design, offsets: offsets) };
        }
        public IReadOnlyList<OpKind> Mix = DefaultMix;
        public int MaxProcesses = 6;
        // Full content check of every process every this many steps (and at the end).
        public int VerifyEvery = 100;
        // Upper bound on the replays the shrinker may spend.
        public int MaxShrinkReplays = 400;

        // RAM far smaller than the processes' pages, a swap device, forced reclaim in the
        // mix and up to 8 processes: pages, private and shared, go to swap and come back
        // constantly, and the model must not notice.
        public static ModelOptions Swapping(RmapDesign design = RmapDesign.AnonVmaChain, AnonOffsets? offsets = null)
        {
            return new ModelOptions
            {
                NewMachine = () => new TestMachine(SwappingFrames, swapPages: SwappingSwapPages, rmap: design, offsets: offsets),
                Mix = SwappingMix,
                MaxProcesses = ModelProcess.MaxPids,
            };
        }

        // The same runs with the shared zero page turned off (kernel mm.zero_page=0): every
        // first touch allocates, as a write does.
        public ModelOptions WithoutZeroPage()
        {
            System.Func<TestMachine> make = NewMachine;
            NewMachine = () =>
            {
                TestMachine m = make();
                m.Manager.ZeroPage.Enabled = false;
                return m;
            };
            return this;
        }

        // The same runs with anon_vma_chain's 2015 reuse of idle ancestors turned off (kernel
        // rmap_reuse=0): every fork makes a new anon_vma. Only for AnonVmaChain machines.
        public ModelOptions WithoutAnonVmaReuse()
        {
            System.Func<TestMachine> make = NewMachine;
            NewMachine = () =>
            {
                TestMachine m = make();
                ((AnonVmaReverseMap)m.Manager.Rmap).ReuseIdleAncestors = false;
                return m;
            };
            return this;
        }

        static OpKind[] With(OpKind[] mix, params OpKind[] more)
        {
            var all = new List<OpKind>(mix);
            all.AddRange(more);
            return all.ToArray();
        }
    }
}
