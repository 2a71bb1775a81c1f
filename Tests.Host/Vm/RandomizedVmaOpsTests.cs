using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // Model-based test of the VMA operations: random fork / exit / read / write / mmap
    // (private and shared, several protections) / munmap / mprotect / mremap (shrink,
    // grow in place, fixed moves) / madvise(DONTNEED) / brk / rmap PageReferenced and
    // TryToUnmap (private and shared pages) / forced reclaim (swapping variant) sequences against a reference
    // model of every page of a 24-page window plus a 6-page brk heap per process. The
    // model predicts each access's outcome (data, SEGV_MAPERR or SEGV_ACCERR) and each
    // call's return value; shared pages keep their data in a model object store, so
    // writes through one process must show in every other mapping of the object.
    // Invariants are checked after every step; a failure names the seed and step and
    // prints a shrunk operation sequence that still fails on a fresh machine.
    public class RandomizedVmaOpsTests
    {
        const ulong Window = 0x4000_0000;
        const int WindowPages = 24;
        const int HeapPages = 6;
        const int Pages = WindowPages + HeapPages;
        const int MaxProcesses = 6;
        static readonly Protection[] Prots =
            { Protection.None, Protection.Read, Protection.Read | Protection.Write, Protection.Read | Protection.Exec,
              Protection.All };

        // One page as the model sees it.
        struct ModelPage
        {
            public bool Mapped;
            public Protection Prot;
            public bool Shared;
            public int Object;        // shared: model object id
            public ulong Index;       // shared: page index in the object
            public byte Content;      // private: the first byte
        }

        sealed class Process
        {
            public AddressSpace Space;
            public ModelPage[] Pages = new ModelPage[RandomizedVmaOpsTests.Pages];
            public int HeapTop;       // brk heap pages in use
        }

        sealed class Model
        {
            public readonly List<Process> Processes = new List<Process>();
            public readonly Dictionary<(int, ulong), byte> Objects = new Dictionary<(int, ulong), byte>();
            public int NextObject = 1;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        [InlineData(6)]
        public void Random_vma_operations_match_the_model(int seed)
        {
            RunSeed(seed, false);
        }

        // The same model on a machine whose RAM (72 frames) is far smaller than the
        // processes' pages, with a swap device and a forced-reclaim operation: pages,
        // private and shared, go to swap and come back constantly; the model is unchanged.
        [Theory]
        [InlineData(32)]
        [InlineData(34)]
        [InlineData(35)]
        [InlineData(37)]
        public void Random_vma_operations_match_the_model_while_swapping_constantly(int seed)
        {
            List<string> log = RunSeed(seed, true);
            Assert.True(log.Exists(line => line.StartsWith("reclaim") && !line.EndsWith(" 0")), "reclaim never freed a frame");
            string totals = log[log.Count - 1];
            Assert.StartsWith("swap totals", totals);
            Assert.DoesNotContain("pswpin 0 ", totals + " ");
            Assert.DoesNotContain("pswpout 0 ", totals + " ");
        }

        static List<string> RunSeed(int seed, bool swapping)
        {
            int steps = StepsPerSeed();
            var random = new System.Random(seed);
            var ops = new List<Op>();
            for (int i = 0; i < steps; i++)
                ops.Add(NextOp(random, swapping));
            var log = new List<string>();
            Failure failure = Run(ops, log, swapping);
            if (failure != null)
            {
                List<Op> shrunk = Shrink(ops, failure, swapping);
                Assert.Fail($"seed {seed}, step {failure.Step}: {failure.Message}\n"
                            + $"shrunk to {shrunk.Count} operations (replay them on a fresh machine):\n"
                            + string.Join("\n", shrunk.ConvertAll(op => op.ToString())));
            }
            // The sequence really exercised the interesting paths.
            foreach (string kind in new[] { "mremap grow", "mremap shrink", "mremap fixed", "EFAULT", "ENOMEM",
                                            "shared", "mprotect", "fork", "exit", "brk" })
                Assert.True(log.Exists(line => line.Contains(kind) && !line.Contains("skipped")), "never ran: " + kind);
            return log;
        }

        // Steps per seed: 2000, or COWBIRD_SOAK_STEPS for a longer soak
        // (COWBIRD_SOAK_STEPS=200000 dotnet test Tests.Host --filter RandomizedVmaOpsTests).
        static int StepsPerSeed()
        {
            string soak = System.Environment.GetEnvironmentVariable("COWBIRD_SOAK_STEPS");
            return int.TryParse(soak, out int n) && n > 0 ? n : 2000;
        }

        // One random operation, drawn up front so a failing sequence can be replayed and
        // shrunk. Which process it applies to is Pid modulo the live process count.
        struct Op
        {
            public int Kind, Pid, Page, Count, Prot, NewCount, Mode, Dest, BrkPages, AnyPage;
            public bool Shared;
            public byte Value;

            public override string ToString()
            {
                return $"{KindNames[Kind]} pid {Pid} page {Page}+{Count} prot {(int)Prots[Prot]} shared {Shared} new {NewCount} "
                       + $"mode {Mode} dest {Dest} brk {BrkPages} any {AnyPage} value {Value}";
            }
        }

        static readonly string[] KindNames =
            { "fork", "exit", "munmap", "mmap", "mprotect", "mremap", "madvise", "brk",
              "write", "write", "write", "write", "read", "read", "read", "read", "referenced", "unmap", "reclaim" };

        sealed class Failure
        {
            public int Step;
            public string Message;
        }

        // `swapping` adds the last kind, forced reclaim.
        static Op NextOp(System.Random r, bool swapping)
        {
            return new Op
            {
                Kind = r.Next(swapping ? KindNames.Length : KindNames.Length - 1), Pid = r.Next(MaxProcesses), Page = r.Next(WindowPages), Count = 1 + r.Next(4),
                Prot = r.Next(Prots.Length), Shared = r.Next(3) == 0, NewCount = 1 + r.Next(4), Mode = r.Next(3),
                Dest = r.Next(WindowPages), BrkPages = r.Next(HeapPages + 1), AnyPage = r.Next(Pages),
                Value = (byte)r.Next(1, 256),
            };
        }

        // Runs `ops` on a fresh machine with invariants after every step, then the final
        // check and the leak check. Null on success, else where and why it failed.
        static Failure Run(List<Op> ops, List<string> log, bool swapping)
        {
            Failure failure = null;
            try
            {
                using var m = swapping ? new TestMachine(72, swapPages: 1024) : new TestMachine(640);
                var model = new Model();
                model.Processes.Add(new Process { Space = m.NewSpace() });
                for (int step = 0; step < ops.Count && failure == null; step++)
                {
                    try
                    {
                        log.Add(Step(m, ops[step], model));
                        m.Check();
                        if (step % 100 == 99)
                            VerifyAll(m, model);
                    }
                    catch (System.Exception e)
                    {
                        int from = System.Math.Max(0, log.Count - 8);
                        failure = new Failure { Step = step, Message = $"{e.GetType().Name}: {e.Message}\nlast operations:\n"
                                                + string.Join("\n", log.GetRange(from, log.Count - from)) };
                    }
                }
                if (failure == null)
                {
                    VerifyAll(m, model);
                    log.Add($"swap totals pswpin {m.Manager.Stat.PswpIn} pswpout {m.Manager.Stat.PswpOut}");
                    m.AssertNoLeaks();
                }
            }
            catch (System.Exception e)
            {
                if (failure == null)
                    failure = new Failure { Step = ops.Count, Message = $"{e.GetType().Name}: {e.Message}" };
            }
            return failure;
        }

        // Delta debugging: drops ever smaller chunks of the sequence while it still fails
        // (bounded number of replays), and cuts it after the failing step.
        static List<Op> Shrink(List<Op> ops, Failure failure, bool swapping)
        {
            List<Op> current = ops.GetRange(0, System.Math.Min(ops.Count, failure.Step + 1));
            int replays = 0;
            for (int chunk = current.Count / 2; chunk >= 1 && replays < 300; )
            {
                bool removed = false;
                for (int start = 0; start + chunk <= current.Count && replays < 300; )
                {
                    var candidate = new List<Op>(current);
                    candidate.RemoveRange(start, chunk);
                    replays++;
                    Failure f = Run(candidate, new List<string>(), swapping);
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

        static ulong AddressOf(int page)
        {
            return page < WindowPages ? Window + (ulong)page * Page.Size
                                      : AddressSpace.DefaultBrkStart + (ulong)(page - WindowPages) * Page.Size;
        }

        static string Step(TestMachine m, Op op, Model model)
        {
            List<Process> processes = model.Processes;
            int pid = op.Pid % processes.Count;
            Process p = processes[pid];
            int page = op.Page;
            int count = op.Count;
            if (page + count > WindowPages)
                count = WindowPages - page;
            switch (op.Kind)
            {
                case 0:
                    if (processes.Count >= MaxProcesses)
                        return "fork skipped";
                    processes.Add(new Process { Space = m.Fork(p.Space), Pages = (ModelPage[])p.Pages.Clone(), HeapTop = p.HeapTop });
                    return $"fork {pid}";
                case 1:
                    if (processes.Count == 1)
                        return "exit skipped";
                    processes.Remove(p);
                    m.Exit(p.Space);
                    return $"exit {pid}";
                case 2:
                    Assert.Equal(0, p.Space.Munmap(AddressOf(page), (ulong)count * Page.Size));
                    for (int i = page; i < page + count; i++)
                        p.Pages[i] = default;
                    return $"munmap {pid} {page}+{count}";
                case 3:
                    return MmapFixed(model, p, pid, page, count, op.Shared, Prots[op.Prot]);
                case 4:
                    return Mprotect(p, pid, page, count, Prots[op.Prot]);
                case 5:
                    return Mremap(m, model, p, pid, page, count, op);
                case 6:
                    return Madvise(p, pid, page, count);
                case 7:
                    return Brk(p, pid, op.BrkPages);
                case 16:
                    return Referenced(m, p, pid, op.AnyPage);
                case 17:
                    return UnmapAndRestore(m, p, pid, op.AnyPage);
                case 18:
                    return $"reclaim {2 * op.Count}: {m.Manager.Reclaimer.Reclaim((ulong)(2 * op.Count))}";
                case 8:
                case 9:
                case 10:
                case 11:
                    return Write(m, model, p, pid, op.AnyPage, op.Value);
                default:
                    return Read(m, model, p, pid, op.AnyPage);
            }
        }

        // page_referenced on the frame at `anyPage`: counts at most its mappings, and a
        // second call right after finds every Accessed bit clear.
        static string Referenced(TestMachine m, Process p, int pid, int anyPage)
        {
            Pte pte = p.Space.PageTable.Lookup(AddressOf(anyPage));
            if (!pte.HasFrame)
                return "referenced skipped";
            var referenced = new PageReferenced(m.Manager);
            int count = referenced.Count(pte.Frame);
            Assert.InRange(count, 0, m.Frames.Frame(pte.Frame).MapCount);
            Assert.Equal(0, referenced.Count(pte.Frame));
            return $"referenced {pid} {anyPage}: {count}";
        }

        // try_to_unmap of the frame at `anyPage` (reclaim holding its own reference). A
        // private page's PTEs get the swap entry, checked and then put back by hand (swap-in
        // is not wired in); a shared page's PTEs are cleared and each process faults the
        // object's page back in later, so the model does not change either way.
        static string UnmapAndRestore(TestMachine m, Process p, int pid, int anyPage)
        {
            Pte pte = p.Space.PageTable.Lookup(AddressOf(anyPage));
            if (!pte.HasFrame)
                return "unmap skipped";
            ulong frame = pte.Frame;
            bool shared = (m.Frames.Frame(frame).Flags & PageFrameFlags.Shmem) != 0;
            var before = new Dictionary<(AddressSpace, ulong), Pte>();
            foreach (var (space, address) in Rmap.RmapTestSupport.Walk(m, frame))
                before[(space, address)] = space.PageTable.Lookup(address);
            Assert.Equal(m.Frames.Frame(frame).MapCount, before.Count);
            m.Frames.Get(frame);
            Pte swapPte = new Pte(new SwapEntry(0, 9).ToPte());
            Assert.True(new TryToUnmap(m.Manager).Unmap(frame, swapPte));
            Assert.Empty(m.Mmu.StaleEntries());
            foreach (var (space, address) in before.Keys)
                Assert.Equal(shared ? Pte.NoneEntry.Raw : swapPte.Raw, space.PageTable.Lookup(address).Raw);
            if (!shared)
                foreach (var ((space, address), old) in before)
                {
                    space.PageTable.Replace(space.PageTable.FindPte(address), address, old);
                    m.Frames.Frame(frame).MapCount++;
                    m.Frames.Get(frame);
                }
            m.Frames.Frame(frame).Flags &= ~PageFrameFlags.Dirty;
            m.Frames.Put(frame);
            return $"unmap {pid} {anyPage}: {before.Count} mappings, {(shared ? "shared" : "private")}";
        }

        static string MmapFixed(Model model, Process p, int pid, int page, int count, bool shared, Protection prot)
        {
            MapFlags kind = shared ? MapFlags.Shared : MapFlags.Private;
            Assert.Equal((long)AddressOf(page), p.Space.Mmap(AddressOf(page), (ulong)count * Page.Size, prot,
                                                             kind | MapFlags.Anonymous | MapFlags.Fixed));
            int obj = shared ? model.NextObject++ : 0;
            for (int i = 0; i < count; i++)
                p.Pages[page + i] = new ModelPage { Mapped = true, Prot = prot, Shared = shared, Object = obj, Index = (ulong)i };
            return $"mmap {pid} {page}+{count} {prot} {(shared ? "shared" : "private")}";
        }

        // Linux: ENOMEM when the start is unmapped (nothing changed) or a hole follows
        // (everything before the hole changed).
        static string Mprotect(Process p, int pid, int page, int count, Protection prot)
        {
            int done = 0;
            while (done < count && p.Pages[page + done].Mapped)
                done++;
            int expected = done == count ? 0 : -(int)Errno.ENOMEM;
            Assert.Equal(expected, p.Space.Mprotect(AddressOf(page), (ulong)count * Page.Size, prot));
            for (int i = 0; i < done; i++)
                p.Pages[page + i].Prot = prot;
            return $"mprotect {pid} {page}+{count} {prot} -> {expected}";
        }

        static string Madvise(Process p, int pid, int page, int count)
        {
            bool hole = false;
            for (int i = page; i < page + count; i++)
            {
                if (!p.Pages[i].Mapped)
                    hole = true;
                else if (!p.Pages[i].Shared)
                    p.Pages[i].Content = 0;
            }
            int expected = hole ? -(int)Errno.ENOMEM : 0;
            Assert.Equal(expected, p.Space.Madvise(AddressOf(page), (ulong)count * Page.Size, AddressSpace.MadviseDontNeed));
            return $"madvise {pid} {page}+{count} -> {expected}";
        }

        static string Brk(Process p, int pid, int pages)
        {
            ulong target = AddressSpace.DefaultBrkStart + (ulong)pages * Page.Size;
            Assert.Equal(target, p.Space.Brk(target));
            for (int i = 0; i < HeapPages; i++)
            {
                ref ModelPage slot = ref p.Pages[WindowPages + i];
                if (i >= pages)
                    slot = default;
                else if (i >= p.HeapTop)
                    slot = new ModelPage { Mapped = true, Prot = Protection.Read | Protection.Write };
            }
            p.HeapTop = pages;
            return $"brk {pid} {pages}";
        }

        // mremap within the window: shrink, grow in place, or a fixed move (possibly
        // growing or shrinking). Whether [page, page + count) lies in one VMA is a VMA
        // boundary fact the model does not track: it asks the real tree, after checking
        // that the model pages there could indeed be one VMA.
        static string Mremap(TestMachine m, Model model, Process p, int pid, int page, int count, Op op)
        {
            ulong address = AddressOf(page);
            int newCount = op.NewCount;
            if (op.Mode == 2)
            {
                int destination = op.Dest % (WindowPages - newCount + 1);
                if (destination < page + count && page < destination + newCount)
                    return "mremap skipped (overlap)";
                return MremapFixed(model, p, pid, page, count, destination, newCount);
            }
            if (page + newCount > WindowPages)
                newCount = WindowPages - page;
            int vmaEnd = p.Pages[page].Mapped ? VmaEndPage(p, page) : -1;
            long result = p.Space.Mremap(address, (ulong)count * Page.Size, (ulong)newCount * Page.Size, RemapFlags.None, 0);
            if (!p.Pages[page].Mapped)
            {
                Assert.Equal(-(long)Errno.EFAULT, result);
                return $"mremap {pid} {page}+{count} -> {newCount}: EFAULT";
            }
            if (newCount <= count)
            {
                Assert.Equal((long)address, result);
                for (int i = page + newCount; i < page + count; i++)
                    p.Pages[i] = default;
                return $"mremap shrink {pid} {page}+{count} -> {newCount}";
            }
            if (vmaEnd < page + count)
            {
                Assert.Equal(-(long)Errno.EFAULT, result);
                return $"mremap {pid} {page}+{count} -> {newCount}: EFAULT (spans VMAs)";
            }
            bool roomAbove = vmaEnd == page + count;
            for (int i = page + count; i < page + newCount; i++)
                roomAbove &= !p.Pages[i].Mapped;
            if (!roomAbove)
            {
                Assert.Equal(-(long)Errno.ENOMEM, result);
                return $"mremap {pid} {page}+{count} -> {newCount}: ENOMEM";
            }
            Assert.Equal((long)address, result);
            ModelPage last = p.Pages[page + count - 1];
            for (int i = count; i < newCount; i++)
                p.Pages[page + i] = Grown(last, i - count + 1);
            return $"mremap grow {pid} {page}+{count} -> {newCount}";
        }

        static string MremapFixed(Model model, Process p, int pid, int page, int count, int destination, int newCount)
        {
            int moved = System.Math.Min(count, newCount);
            int vmaEnd = p.Pages[page].Mapped ? VmaEndPage(p, page) : -1;
            long result = p.Space.Mremap(AddressOf(page), (ulong)count * Page.Size, (ulong)newCount * Page.Size,
                                         RemapFlags.MayMove | RemapFlags.Fixed, AddressOf(destination));
            string what = $"mremap fixed {pid} {page}+{count} -> {destination}+{newCount}";
            if (!p.Pages[page].Mapped || vmaEnd < page + moved)
            {
                Assert.Equal(-(long)Errno.EFAULT, result);
                return what + ": EFAULT";
            }
            Assert.Equal((long)AddressOf(destination), result);
            var source = new ModelPage[moved];
            System.Array.Copy(p.Pages, page, source, 0, moved);
            for (int i = page; i < page + count; i++)
                p.Pages[i] = default;
            for (int i = 0; i < newCount; i++)
                p.Pages[destination + i] = i < moved ? source[i] : Grown(source[moved - 1], i - moved + 1);
            return what;
        }

        // The page `distance` pages above `last` in the same VMA after a grow: private
        // memory reads zero; a shared mapping continues into the object's next indexes.
        static ModelPage Grown(ModelPage last, int distance)
        {
            var page = new ModelPage { Mapped = true, Prot = last.Prot, Shared = last.Shared, Object = last.Object };
            if (last.Shared)
                page.Index = last.Index + (ulong)distance;
            return page;
        }

        // One past the last window page of the real VMA containing `page`, after checking
        // that the model's pages up to there agree with being one VMA.
        static int VmaEndPage(Process p, int page)
        {
            Vma vma = p.Space.FindVma(AddressOf(page));
            Assert.NotNull(vma);
            ulong endPage = (vma.End - Window) / Page.Size;
            int end = (int)System.Math.Min(endPage, (ulong)WindowPages);
            ModelPage first = p.Pages[page];
            for (int i = page; i < end; i++)
            {
                ModelPage q = p.Pages[i];
                Assert.True(q.Mapped && q.Prot == first.Prot && q.Shared == first.Shared
                            && (!q.Shared || (q.Object == first.Object && q.Index == first.Index + (ulong)(i - page))),
                            $"the real VMA [0x{vma.Start:x}, 0x{vma.End:x}) covers pages {page} and {i}, which the model says cannot share a VMA: "
                            + $"{Describe(first)} vs {Describe(q)}");
            }
            return end;
        }

        static string Describe(ModelPage q)
        {
            return q.Mapped ? $"{q.Prot} {(q.Shared ? $"shared {q.Object}:{q.Index}" : "private")}" : "unmapped";
        }

        static string Write(TestMachine m, Model model, Process p, int pid, int page, byte value)
        {
            ModelPage q = p.Pages[page];
            ulong address = AddressOf(page);
            if (!q.Mapped)
                Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(p.Space, address, AccessKind.Write));
            else if ((q.Prot & Protection.Write) == 0)
                Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(p.Space, address, AccessKind.Write));
            else
            {
                m.Write(p.Space, address, value);
                if (q.Shared)
                    model.Objects[(q.Object, q.Index)] = value;
                else
                    p.Pages[page].Content = value;
            }
            return $"write {pid} {page} {value}";
        }

        static string Read(TestMachine m, Model model, Process p, int pid, int page)
        {
            ModelPage q = p.Pages[page];
            ulong address = AddressOf(page);
            if (!q.Mapped)
                Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(p.Space, address, AccessKind.Read));
            else if (q.Prot == Protection.None)
                Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(p.Space, address, AccessKind.Read));
            else
                Assert.Equal(Expected(model, q), m.Read(p.Space, address));
            return $"read {pid} {page}";
        }

        static byte Expected(Model model, ModelPage q)
        {
            if (!q.Shared)
                return q.Content;
            return model.Objects.TryGetValue((q.Object, q.Index), out byte b) ? b : (byte)0;
        }

        // Every readable page of every process holds what the model says.
        static void VerifyAll(TestMachine m, Model model)
        {
            foreach (Process p in model.Processes)
                for (int i = 0; i < Pages; i++)
                    if (p.Pages[i].Mapped && p.Pages[i].Prot != Protection.None)
                        Assert.Equal(Expected(model, p.Pages[i]), m.Read(p.Space, AddressOf(i)));
            m.Check();
        }
    }
}
