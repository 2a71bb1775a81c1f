using System.Collections.Generic;
using Cowbird.Mm.Rmap;
using Xunit;

namespace Cowbird.Tests.Host.Model
{
    // Runs op sequences on a fresh machine against the reference model:
    //   - invariants (Invariants.Check) after every op, all contents every VerifyEvery ops;
    //   - at the end, all contents, then every process exits and every frame, page table,
    //     VMA, shared object and anon_vma must be free again;
    //   - Check(seed, ops) turns a failure into an assertion naming the seed and a shrunk
    //     sequence, printed as C# for ModelReplayTests.
    public sealed class ModelRunner
    {
        readonly ModelOptions options;

        public ModelRunner(ModelOptions options = null)
        {
            this.options = options ?? new ModelOptions();
        }

        // Generates `count` ops from `seed`, runs them, and fails the test with the seed
        // and the shrunk sequence if the MM disagrees with the model. Returns the log.
        public List<string> Check(int seed, int count)
        {
            List<Op> ops = Op.Sequence(seed, count, options.Mix);
            var log = new List<string>();
            ModelFailure failure = Run(ops, log);
            if (failure != null)
                Assert.Fail(Report($"seed {seed}", failure, Shrink(ops, failure)));
            return log;
        }

        // The failure text: what failed, then the shrunk sequence ready to paste.
        public static string Report(string what, ModelFailure failure, List<Op> shrunk)
        {
            return $"{what}, step {failure.Step}: {failure.Message}\n"
                   + $"shrunk to {shrunk.Count} operations; paste into ModelReplayTests:\n"
                   + string.Join("\n", shrunk.ConvertAll(op => op.ToString()));
        }

        // Runs `ops` on a fresh machine. Null on success, else where and why it failed.
        public ModelFailure Run(IReadOnlyList<Op> ops, List<string> log)
        {
            ModelFailure failure = null;
            try
            {
                using TestMachine m = options.NewMachine();
                var model = new ReferenceModel { MaxProcesses = options.MaxProcesses };
                model.Processes.Add(new ModelProcess { Space = m.NewSpace() });
                for (int step = 0; step < ops.Count && failure == null; step++)
                {
                    try
                    {
                        log.Add(ModelStepper.Apply(m, model, ops[step]));
                        m.Check();
                        if (step % options.VerifyEvery == options.VerifyEvery - 1)
                            ModelStepper.VerifyAll(m, model);
                    }
                    catch (System.Exception e)
                    {
                        failure = new ModelFailure { Step = step, Message = Describe(e, log) };
                    }
                }
                if (failure == null)
                {
                    ModelStepper.VerifyAll(m, model);
                    log.Add($"zero page reads {m.Manager.Stat.ZeroPageFault} writes {m.Manager.Stat.ZeroPageCow}");
                    log.Add($"page tables shared {m.Manager.Stat.PageTablesShared} copied {m.Manager.Stat.PageTablesCopied} taken over {m.Manager.Stat.PageTablesTakenOver}");
                    log.Add($"swap totals pswpin {m.Manager.Stat.PswpIn} pswpout {m.Manager.Stat.PswpOut}");
                    m.AssertNoLeaks();
                    if (m.Manager.Rmap is AnonVmaReverseMap anon)
                        Assert.Equal(0, anon.Allocator.LiveAnonVmas);
                }
            }
            catch (System.Exception e)
            {
                if (failure == null)
                    failure = new ModelFailure { Step = ops.Count, Message = Describe(e, log) };
            }
            return failure;
        }

        static string Describe(System.Exception e, List<string> log)
        {
            int from = System.Math.Max(0, log.Count - 8);
            return $"{e.GetType().Name}: {e.Message}\nlast operations:\n" + string.Join("\n", log.GetRange(from, log.Count - from));
        }

        // Delta debugging: cut the sequence after the failing op, then remove ever smaller
        // chunks while the run still fails (any failure counts), within MaxShrinkReplays.
        public List<Op> Shrink(List<Op> ops, ModelFailure failure)
        {
            List<Op> current = ops.GetRange(0, System.Math.Min(ops.Count, failure.Step + 1));
            int replays = 0;
            for (int chunk = current.Count / 2; chunk >= 1 && replays < options.MaxShrinkReplays; )
            {
                bool removed = false;
                for (int start = 0; start + chunk <= current.Count && replays < options.MaxShrinkReplays; )
                {
                    var candidate = new List<Op>(current);
                    candidate.RemoveRange(start, chunk);
                    replays++;
                    ModelFailure f = Run(candidate, new List<string>());
                    if (f != null)
                    {
                        current = candidate.GetRange(0, System.Math.Min(candidate.Count, f.Step + 1));
                        removed = true;
                    }
                    else
                        start += chunk;
                }
                if (!removed)
                    chunk /= 2;
            }
            return current;
        }
    }
}
