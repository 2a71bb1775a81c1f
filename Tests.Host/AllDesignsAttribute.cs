using System.Collections.Generic;
using System.Reflection;
using Cowbird.Mm.Rmap;
using Xunit.Sdk;

namespace Cowbird.Tests.Host
{
    // [Theory, AllDesigns]: runs a test once per reverse-mapping design (RmapDesign), the
    // design as its first argument; extra values given to the attribute follow it. The
    // environment variable COWBIRD_RMAP (a RmapDesigns.Name, e.g. pte_chain) restricts
    // every such test to that one design:
    //   COWBIRD_RMAP=object_tree dotnet test Tests.Host
    public sealed class AllDesignsAttribute : DataAttribute
    {
        readonly object[] extra;

        public AllDesignsAttribute(params object[] extraArguments)
        {
            extra = extraArguments;
        }

        public override IEnumerable<object[]> GetData(MethodInfo testMethod)
        {
            foreach (RmapDesign design in Selected())
            {
                var row = new object[1 + extra.Length];
                row[0] = design;
                extra.CopyTo(row, 1);
                yield return row;
            }
        }

        // The designs COWBIRD_RMAP selects: all of them when it is unset.
        public static List<RmapDesign> Selected()
        {
            string only = System.Environment.GetEnvironmentVariable("COWBIRD_RMAP");
            var designs = new List<RmapDesign>();
            for (int i = 0; i < RmapDesigns.Count; i++)
                if (string.IsNullOrEmpty(only) || (RmapDesigns.Name((RmapDesign)i) == only || RmapDesigns.ShortName((RmapDesign)i) == only))
                    designs.Add((RmapDesign)i);
            if (designs.Count == 0)
                throw new System.ArgumentException("COWBIRD_RMAP names no design: " + only);
            return designs;
        }
    }

    // [Theory, DesignPerSeed(s1, s2, ...)]: shares a list of seeds among the designs (seed
    // i runs under design i mod the number of selected designs), so a randomized suite
    // covers every design without running longer. Arguments: (design, seed).
    public sealed class DesignPerSeedAttribute : DataAttribute
    {
        readonly int[] seeds;

        public DesignPerSeedAttribute(params int[] seedList)
        {
            seeds = seedList;
        }

        public override IEnumerable<object[]> GetData(MethodInfo testMethod)
        {
            List<RmapDesign> designs = AllDesignsAttribute.Selected();
            for (int i = 0; i < seeds.Length; i++)
                yield return new object[] { designs[i % designs.Count], seeds[i] };
        }
    }

    // [Theory, AnonVmaDesigns]: once per design that finds pages by offset (the two
    // anon_vma designs, ReverseMap.UsesPageOffsets), for tests of AnonOffsets.Reserve.
    public sealed class AnonVmaDesignsAttribute : DataAttribute
    {
        public override IEnumerable<object[]> GetData(MethodInfo testMethod)
        {
            yield return new object[] { RmapDesign.AnonVmaChain };
            yield return new object[] { RmapDesign.AnonVma2004 };
        }
    }
}
