using System.Collections.Generic;
using System.Text.RegularExpressions;
using Xunit;

namespace Cowbird.Tests.Host.Model
{
    // The harness can fail: with a bug injected through the TLB seam (DroppingTlb) a
    // random sequence must fail, and the report must name the seed and a shrunk
    // sequence, shorter than the failing prefix, that still fails on a fresh machine.
    public class ModelHarnessSelfTests
    {
        const int Seed = 7;
        const int Ops = 2000;

        static ModelOptions Broken()
        {
            return new ModelOptions
            {
                NewMachine = () => new TestMachine(ModelOptions.DefaultFrames, tlb => new DroppingTlb(tlb)),
            };
        }

        [Fact]
        public void A_dropped_tlb_invalidation_is_reported_with_the_seed_and_a_shrunk_sequence()
        {
            var runner = new ModelRunner(Broken());
            var e = Assert.ThrowsAny<System.Exception>(() => runner.Check(Seed, Ops));
            Assert.Contains($"seed {Seed}, step ", e.Message);
            Assert.Contains("stale TLB entry", e.Message);
            int step = int.Parse(Regex.Match(e.Message, @"step (\d+)").Groups[1].Value);
            int shrunk = int.Parse(Regex.Match(e.Message, @"shrunk to (\d+) operations").Groups[1].Value);
            Assert.Equal(shrunk, Regex.Matches(e.Message, @"^new Op\(OpKind\.", RegexOptions.Multiline).Count);
            Assert.True(shrunk < step + 1, $"shrunk {shrunk} ops, failing prefix {step + 1}");
        }

        [Fact]
        public void The_shrunk_sequence_still_fails_and_passes_without_the_bug()
        {
            var broken = new ModelRunner(Broken());
            List<Op> ops = Op.Sequence(Seed, Ops, ModelOptions.DefaultMix);
            ModelFailure failure = broken.Run(ops, new List<string>());
            Assert.NotNull(failure);
            List<Op> shrunk = broken.Shrink(ops, failure);
            Assert.True(shrunk.Count < failure.Step + 1);
            Assert.NotNull(broken.Run(shrunk, new List<string>()));
            Assert.Null(new ModelRunner().Run(shrunk, new List<string>()));
        }
    }
}
