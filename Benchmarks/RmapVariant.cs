using Cowbird.Mm.Rmap;

namespace Cowbird.Benchmarks
{
    // A column of the rmap tables: a design, and for anon_vma_chain whether fork reuses idle
    // ancestor anon_vmas (Linux's 2015 heuristic; rmap_reuse=0 on the kernel command line
    // turns it off). All: every design, then anon_vma_chain without the reuse.
    public sealed class RmapVariant
    {
        public readonly RmapDesign Design;
        public readonly bool Reuse;

        RmapVariant(RmapDesign design, bool reuse)
        {
            Design = design;
            Reuse = reuse;
        }

        public static readonly RmapVariant[] All = MakeAll();

        static RmapVariant[] MakeAll()
        {
            var all = new RmapVariant[RmapDesigns.Count + 1];
            for (int d = 0; d < RmapDesigns.Count; d++)
                all[d] = new RmapVariant((RmapDesign)d, true);
            all[RmapDesigns.Count] = new RmapVariant(RmapDesign.AnonVmaChain, false);
            return all;
        }

        // The design's name, with ", no reuse" for anon_vma_chain without the reuse.
        public string Label => Reuse ? RmapDesigns.Name(Design) : RmapDesigns.Name(Design) + ", no reuse";

        // A bench machine of `frames` frames running this variant.
        public BenchMachine NewMachine(int frames)
        {
            var machine = new BenchMachine(frames, Design);
            if (!Reuse)
                ((AnonVmaReverseMap)machine.Manager.Rmap).ReuseIdleAncestors = false;
            return machine;
        }
    }
}
