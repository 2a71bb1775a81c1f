using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host.Rmap
{
    // Random fork / exit / write / read / munmap / mmap / mremap move / mprotect (split and
    // merge back) / PageReferenced / TryToUnmap sequences over two 12-page windows per
    // process, against a model of each page's first byte. The invariant checker after every step compares the rmap walk of
    // every frame with the raw page tables and checks every anon_vma counter.
    public class RandomizedRmapTests
    {
        static readonly ulong[] Windows = { 0x4000_0000, 0x6000_0000 };
        const int Pages = 12;
        const int MaxProcesses = 8;
        const Protection ReadWrite = Protection.Read | Protection.Write;

        sealed class Process
        {
            public AddressSpace Space;
            public int?[][] Model = { new int?[Pages], new int?[Pages] };

            public Process CloneWith(AddressSpace space)
            {
                return new Process { Space = space, Model = new[] { (int?[])Model[0].Clone(), (int?[])Model[1].Clone() } };
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void Random_rmap_workloads_keep_the_walk_exact(int seed)
        {
            using var m = new TestMachine(1024);
            var random = new System.Random(seed);
            var first = new Process { Space = m.NewSpace() };
            Assert.Equal((long)Windows[0], first.Space.Mmap(Windows[0], Pages * Page.Size, ReadWrite,
                                                           MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed));
            for (int i = 0; i < Pages; i++)
                first.Model[0][i] = 0;
            var processes = new List<Process> { first };
            var done = new HashSet<string>();
            for (int step = 0; step < 500; step++)
            {
                try
                {
                    Step(m, random, processes, done);
                    m.Check();
                }
                catch (System.Exception e)
                {
                    throw new System.Exception($"seed {seed}, step {step}: {e.Message}", e);
                }
            }
            foreach (Process p in processes)
                for (int w = 0; w < 2; w++)
                    for (int i = 0; i < Pages; i++)
                        if (p.Model[w][i] != null)
                            Assert.Equal(p.Model[w][i].Value, m.Read(p.Space, Windows[w] + (ulong)i * Page.Size));
            // The workload really did each kind of rmap-relevant operation.
            foreach (string kind in new[] { "fork", "exit", "move", "unmap", "split", "protect" })
                Assert.Contains(kind, done);
            m.AssertNoLeaks();
            Assert.Equal(0, Anon(m).Cache.LiveAnonVmas);
        }

        static void Step(TestMachine m, System.Random random, List<Process> processes, HashSet<string> done)
        {
            Process p = processes[random.Next(processes.Count)];
            int w = random.Next(2);
            int page = random.Next(Pages);
            ulong address = Windows[w] + (ulong)page * Page.Size;
            switch (random.Next(11))
            {
                case 10:
                    if (Protect(random, p, address, page))
                        done.Add("protect");
                    break;
                case 0:
                    if (processes.Count < MaxProcesses)
                    {
                        processes.Add(p.CloneWith(m.Fork(p.Space)));
                        done.Add("fork");
                    }
                    break;
                case 1:
                    if (processes.Count > 1 && random.Next(2) == 0)
                    {
                        processes.Remove(p);
                        m.Exit(p.Space);
                        done.Add("exit");
                    }
                    break;
                case 2:
                    int count = 1 + random.Next(System.Math.Min(3, Pages - page));
                    int vmasBefore = p.Space.Vmas.Count;
                    Assert.Equal(0, p.Space.Munmap(address, (ulong)count * Page.Size));
                    for (int i = 0; i < count; i++)
                        p.Model[w][page + i] = null;
                    if (p.Space.Vmas.Count > vmasBefore)
                        done.Add("split");
                    break;
                case 3:
                    if (p.Model[w][page] == null)
                    {
                        Assert.Equal((long)address, p.Space.Mmap(address, Page.Size, ReadWrite,
                                                                MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace));
                        p.Model[w][page] = 0;
                    }
                    break;
                case 4:
                    if (Move(m, p, w, address))
                        done.Add("move");
                    break;
                case 5:
                    if (UnmapAndRestore(m, p.Space, address))
                        done.Add("unmap");
                    break;
                case 6:
                    Pte pte = p.Space.PageTable.Lookup(address);
                    if (pte.IsPresent)
                        Assert.InRange(new PageReferenced(m.Manager).Count(pte.Frame), 0, m.Frames.Frame(pte.Frame).MapCount);
                    break;
                case 7:
                case 8:
                    if (p.Model[w][page] != null)
                    {
                        byte value = (byte)random.Next(1, 256);
                        m.Write(p.Space, address, value);
                        p.Model[w][page] = value;
                    }
                    break;
                default:
                    if (p.Model[w][page] != null)
                        Assert.Equal(p.Model[w][page].Value, m.Read(p.Space, address));
                    break;
            }
        }

        // Moves the whole VMA holding `address` to the same offset in the other window, if free.
        static bool Move(TestMachine m, Process p, int w, ulong address)
        {
            Vma vma = p.Space.FindVma(address);
            if (vma == null)
                return false;
            int other = 1 - w;
            ulong to = Windows[other] + (vma.Start - Windows[w]);
            ulong length = vma.Length;
            if (!p.Space.Vmas.IsFree(to, to + length))
                return false;
            int first = (int)((vma.Start - Windows[w]) >> Page.Shift);
            Assert.Equal((long)to, p.Space.Mremap(vma.Start, length, length, RemapFlags.MayMove | RemapFlags.Fixed, to));
            for (int i = 0; i < (int)(length >> Page.Shift); i++)
            {
                p.Model[other][first + i] = p.Model[w][first + i];
                p.Model[w][first + i] = null;
            }
            return true;
        }

        // mprotect of up to 3 pages to read-write-exec or back to read-write: splits a VMA
        // (pages possibly COW-shared with other processes) and merges the pieces again
        // later. Writes stay allowed, so the model does not change. True when it split.
        static bool Protect(System.Random random, Process p, ulong address, int page)
        {
            int count = 1 + random.Next(System.Math.Min(3, Pages - page));
            Protection prot = random.Next(2) == 0 ? ReadWrite : ReadWrite | Protection.Exec;
            int vmasBefore = p.Space.Vmas.Count;
            int result = p.Space.Mprotect(address, (ulong)count * Page.Size, prot);
            Assert.True(result == 0 || result == -(int)Errno.ENOMEM, "mprotect returned " + result);
            return p.Space.Vmas.Count > vmasBefore;
        }

        // try_to_unmap with a swap PTE, check every mapping went, then put them back.
        static bool UnmapAndRestore(TestMachine m, AddressSpace space, ulong address)
        {
            Pte pte = space.PageTable.Lookup(address);
            if (!pte.IsPresent)
                return false;
            ulong frame = pte.Frame;
            var before = new Dictionary<(AddressSpace, ulong), Pte>();
            foreach (var (s, a) in Walk(m, frame))
                before[(s, a)] = s.PageTable.Lookup(a);
            Assert.Equal(m.Frames.Frame(frame).MapCount, before.Count);
            m.Frames.Get(frame);
            Pte swapPte = new Pte(new SwapEntry(1, 7).ToPte());
            Assert.True(new TryToUnmap(m.Manager).Unmap(frame, swapPte));
            foreach (var (s, a) in before.Keys)
                Assert.Equal(swapPte.Raw, s.PageTable.Lookup(a).Raw);
            Assert.Empty(m.Mmu.StaleEntries());
            foreach (var ((s, a), old) in before)
            {
                s.PageTable.Replace(s.PageTable.FindPte(a), a, old);
                m.Frames.Frame(frame).MapCount++;
                m.Frames.Get(frame);
            }
            m.Frames.Frame(frame).Flags &= ~Cowbird.Mm.Physical.PageFrameFlags.Dirty;
            m.Frames.Put(frame);
            return before.Count > 1;
        }
    }
}
