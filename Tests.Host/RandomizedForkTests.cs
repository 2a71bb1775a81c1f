using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // A first model-based test: random fork / write / read / munmap / mmap-fixed /
    // madvise(DONTNEED) / exit / PageReferenced sequences against a reference model (each process's view of a 16-page window:
    // unmapped, or the byte at the start of each page). Invariants are checked after every
    // operation; a failure names the seed and the step.
    public class RandomizedForkTests
    {
        const ulong Window = 0x4000_0000;
        const int Pages = 16;
        const int MaxProcesses = 6;

        sealed class Process
        {
            public AddressSpace Space;
            public int?[] Model = new int?[Pages];     // null: unmapped; else the first byte
        }

        [Theory]
        [InlineData(11)]
        [InlineData(12)]
        [InlineData(13)]
        [InlineData(14)]
        [InlineData(15)]
        [InlineData(16)]
        public void Random_process_lifecycles_match_the_model(int seed)
        {
            using var m = new TestMachine(512);
            Run(m, seed, false);
        }

        // The same model with RAM too small for the processes' pages (6 x 16 pages plus
        // their page tables in 48 frames) and a forced-reclaim step: pages move to swap
        // and back constantly, and the model must not notice.
        [Theory]
        [InlineData(21)]
        [InlineData(22)]
        [InlineData(23)]
        [InlineData(24)]
        public void Random_process_lifecycles_match_the_model_while_swapping_constantly(int seed)
        {
            using var m = new TestMachine(48, swapPages: 256);
            Run(m, seed, true);
            Assert.True(m.Manager.Stat.PswpOut > 0 && m.Manager.Stat.PswpIn > 0);
        }

        static void Run(TestMachine m, int seed, bool swapping)
        {
            var random = new System.Random(seed);
            var processes = new List<Process>();
            var first = new Process { Space = m.NewSpace() };
            Assert.Equal((long)Window, first.Space.Mmap(Window, Pages * Page.Size, Protection.Read | Protection.Write,
                                                        MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            for (int i = 0; i < Pages; i++)
                first.Model[i] = 0;
            processes.Add(first);
            for (int step = 0; step < 600; step++)
            {
                try
                {
                    Step(m, random, processes, swapping);
                    m.Check();
                }
                catch (System.Exception e) when (!(e is StepFailure))
                {
                    throw new StepFailure($"seed {seed}, step {step}: {e.GetType().Name}: {e.Message}", e);
                }
            }
            foreach (Process p in processes)
                for (int i = 0; i < Pages; i++)
                    if (p.Model[i] != null)
                        Assert.Equal(p.Model[i].Value, m.Read(p.Space, Window + (ulong)i * Page.Size));
            m.AssertNoLeaks();
        }

        sealed class StepFailure : System.Exception
        {
            public StepFailure(string message, System.Exception inner) : base(message, inner) { }
        }

        static void Step(TestMachine m, System.Random random, List<Process> processes, bool swapping)
        {
            Process p = processes[random.Next(processes.Count)];
            int page = random.Next(Pages);
            ulong address = Window + (ulong)page * Page.Size;
            switch (random.Next(swapping ? 13 : 12))
            {
                case 12:
                    // Forced reclaim of a few frames (the model is unchanged: data must survive).
                    m.Manager.Reclaimer.Reclaim((ulong)random.Next(1, 9));
                    break;
                case 11:
                    // rmap: PageReferenced on the page clears the A bit in every mapping
                    // (the invariants after the step compare the rmap walk with the tables).
                    var pte = p.Space.PageTable.Lookup(address);
                    if (pte.IsPresent)
                    {
                        int maps = m.Frames.Frame(pte.Frame).MapCount;
                        Assert.InRange(new Cowbird.Mm.Rmap.PageReferenced(m.Manager).Count(pte.Frame), 0, maps);
                        Assert.False(p.Space.PageTable.Lookup(address).IsAccessed);
                    }
                    break;
                case 0:
                    if (processes.Count < MaxProcesses)
                        processes.Add(new Process { Space = m.Fork(p.Space), Model = (int?[])p.Model.Clone() });
                    break;
                case 1:
                    if (processes.Count > 1)
                    {
                        processes.Remove(p);
                        m.Exit(p.Space);
                    }
                    break;
                case 2:
                    Assert.Equal(0, p.Space.Munmap(address, Page.Size));
                    p.Model[page] = null;
                    break;
                case 3:
                    Assert.Equal((long)address, p.Space.Mmap(address, Page.Size, Protection.Read | Protection.Write,
                                                             MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
                    p.Model[page] = 0;
                    break;
                case 10:
                    int expected = p.Model[page] == null ? -(int)Errno.ENOMEM : 0;
                    Assert.Equal(expected, p.Space.Madvise(address, Page.Size, AddressSpace.MadviseDontNeed));
                    if (p.Model[page] != null)
                        p.Model[page] = 0;
                    break;
                case 4:
                case 5:
                case 6:
                    byte value = (byte)random.Next(1, 256);
                    if (p.Model[page] == null)
                        Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(p.Space, address, AccessKind.Write));
                    else
                    {
                        m.Write(p.Space, address, value);
                        p.Model[page] = value;
                    }
                    break;
                default:
                    if (p.Model[page] == null)
                        Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(p.Space, address, AccessKind.Read));
                    else
                        Assert.Equal(p.Model[page].Value, m.Read(p.Space, address));
                    break;
            }
        }
    }
}
