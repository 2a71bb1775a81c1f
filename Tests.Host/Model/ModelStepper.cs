using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Swap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Model.ModelProcess;

namespace Cowbird.Tests.Host.Model
{
    // Applies one Op to the real MM and to the reference model, asserting that the MM's
    // answer (return value, data read, SEGV_MAPERR / SEGV_ACCERR) is the one the model
    // predicts. Returns a line for the failure log ("skipped" when the op did not apply).
    public static class ModelStepper
    {
        public static string Apply(TestMachine m, ReferenceModel model, Op op)
        {
            List<ModelProcess> processes = model.Processes;
            int pid = op.Pid % processes.Count;
            ModelProcess p = processes[pid];
            int count = System.Math.Min(op.Count, WindowPages - op.Page);
            Protection prot = Op.Prots[op.Prot];
            switch (op.Kind)
            {
                case OpKind.Fork: return Fork(m, model, p, pid);
                case OpKind.Exit: return Exit(m, model, p, pid);
                case OpKind.Read: return Read(m, model, p, pid, op.AnyPage);
                case OpKind.Write: return Write(m, model, p, pid, op.AnyPage, op.Value);
                case OpKind.MmapFixed: return MmapFixed(model, p, pid, op.Page, count, op.Shared, prot);
                case OpKind.MmapHint: return MmapHint(m, model, p, pid, op.Page, count, op.Shared, prot);
                case OpKind.MmapNoReplace: return MmapNoReplace(model, p, pid, op.Page, count, op.Shared, prot);
                case OpKind.Munmap: return Munmap(p, pid, op.Page, count);
                case OpKind.Mprotect: return Mprotect(p, pid, op.Page, count, prot);
                case OpKind.Mremap: return Mremap(p, pid, op.Page, count, op);
                case OpKind.Madvise: return Madvise(p, pid, op.Page, count);
                case OpKind.Brk: return Brk(p, pid, op.BrkPages);
                case OpKind.Referenced: return Referenced(m, p, pid, op.AnyPage);
                case OpKind.UnmapRestore: return UnmapAndRestore(m, p, pid, op.AnyPage);
                case OpKind.MoveVma: return MoveVma(p, pid, op.Page);
                case OpKind.ForceReclaim:
                    return $"reclaim {2 * op.Count}: {m.Manager.Reclaimer.Reclaim((ulong)(2 * op.Count))}";
                default: throw new System.ArgumentException("ModelStepper: no rule for " + op.Kind);
            }
        }

        // fork: the child sees exactly what the parent sees (COW is invisible).
        static string Fork(TestMachine m, ReferenceModel model, ModelProcess p, int pid)
        {
            if (model.Processes.Count >= model.MaxProcesses)
                return "fork skipped";
            model.Processes.Add(p.ForkedAs(m.Fork(p.Space)));
            return $"fork {pid}";
        }

        // exit of any process but the last one.
        static string Exit(TestMachine m, ReferenceModel model, ModelProcess p, int pid)
        {
            if (model.Processes.Count == 1)
                return "exit skipped";
            model.Processes.Remove(p);
            m.Exit(p.Space);
            return $"exit {pid}";
        }

        static string Read(TestMachine m, ReferenceModel model, ModelProcess p, int pid, int page)
        {
            ModelPage q = p.View[page];
            ulong address = AddressOf(page);
            if (!q.Mapped)
                Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(p.Space, address, AccessKind.Read));
            else if (q.Prot == Protection.None)
                Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(p.Space, address, AccessKind.Read));
            else if (model.PastObject(q))
                Assert.Equal(FaultResult.SigBusPastObject, m.TryAccess(p.Space, address, AccessKind.Read));
            else
                Assert.Equal(model.Expected(q), m.Read(p.Space, address));
            return $"read {pid} {page}";
        }

        static string Write(TestMachine m, ReferenceModel model, ModelProcess p, int pid, int page, byte value)
        {
            ModelPage q = p.View[page];
            ulong address = AddressOf(page);
            if (!q.Mapped)
                Assert.Equal(FaultResult.SegvMapErr, m.TryAccess(p.Space, address, AccessKind.Write));
            else if ((q.Prot & Protection.Write) == 0)
                Assert.Equal(FaultResult.SegvAccErr, m.TryAccess(p.Space, address, AccessKind.Write));
            else if (model.PastObject(q))
                Assert.Equal(FaultResult.SigBusPastObject, m.TryAccess(p.Space, address, AccessKind.Write));
            else
            {
                m.Write(p.Space, address, value);
                model.Write(p, page, value);
            }
            return $"write {pid} {page} {value}";
        }

        // MAP_FIXED replaces whatever was there with fresh zero pages (a new object if shared).
        static string MmapFixed(ReferenceModel model, ModelProcess p, int pid, int page, int count, bool shared, Protection prot)
        {
            MapFlags kind = shared ? MapFlags.Shared : MapFlags.Private;
            Assert.Equal((long)AddressOf(page), p.Space.Mmap(AddressOf(page), (ulong)count * Page.Size, prot,
                                                             kind | MapFlags.Anonymous | MapFlags.Fixed));
            MapFresh(model, p, page, count, shared, prot);
            return $"mmap {pid} {page}+{count} {prot} {(shared ? "shared" : "private")}";
        }

        // A hint is taken when the range is free; otherwise the mapping lands elsewhere,
        // outside the window: it must read zero, take a write, and is unmapped again.
        static string MmapHint(TestMachine m, ReferenceModel model, ModelProcess p, int pid, int page, int count, bool shared,
                               Protection prot)
        {
            bool free = true;
            for (int i = page; i < page + count; i++)
                free &= !p.View[i].Mapped;
            MapFlags kind = shared ? MapFlags.Shared : MapFlags.Private;
            ulong length = (ulong)count * Page.Size;
            long result = p.Space.Mmap(AddressOf(page), length, prot, kind | MapFlags.Anonymous);
            if (free)
            {
                Assert.Equal((long)AddressOf(page), result);
                MapFresh(model, p, page, count, shared, prot);
                return $"mmap hint {pid} {page}+{count} {prot} taken";
            }
            Assert.True(result > 0, "hinted mmap failed: " + result);
            ulong address = (ulong)result;
            Assert.False(InWindow(address) || InWindow(address + length - 1), $"hinted mmap at 0x{address:x} overlaps the window");
            if (prot != Protection.None)
                Assert.Equal(0, m.Read(p.Space, address));
            if ((prot & Protection.Write) != 0)
                m.Write(p.Space, address + length - 1, 7);
            Assert.Equal(0, p.Space.Munmap(address, length));
            return $"mmap hint {pid} {page}+{count} {prot} elsewhere";
        }

        // MAP_FIXED_NOREPLACE maps fresh pages only where nothing is mapped, else EEXIST
        // and nothing changes.
        static string MmapNoReplace(ReferenceModel model, ModelProcess p, int pid, int page, int count, bool shared,
                                    Protection prot)
        {
            bool taken = false;
            for (int i = page; i < page + count; i++)
                taken |= p.View[i].Mapped;
            MapFlags kind = shared ? MapFlags.Shared : MapFlags.Private;
            long expected = taken ? -(long)Errno.EEXIST : (long)AddressOf(page);
            Assert.Equal(expected, p.Space.Mmap(AddressOf(page), (ulong)count * Page.Size, prot,
                                                kind | MapFlags.Anonymous | MapFlags.FixedNoReplace));
            if (taken)
                return $"mmap noreplace {pid} {page}+{count}: EEXIST";
            MapFresh(model, p, page, count, shared, prot);
            return $"mmap noreplace {pid} {page}+{count} {prot} {(shared ? "shared" : "private")}";
        }

        static void MapFresh(ReferenceModel model, ModelProcess p, int page, int count, bool shared, Protection prot)
        {
            int obj = shared ? model.NewObject(count) : 0;
            for (int i = 0; i < count; i++)
                p.View[page + i] = new ModelPage { Mapped = true, Prot = prot, Shared = shared, Object = obj, Index = (ulong)i };
        }

        static string Munmap(ModelProcess p, int pid, int page, int count)
        {
            Assert.Equal(0, p.Space.Munmap(AddressOf(page), (ulong)count * Page.Size));
            for (int i = page; i < page + count; i++)
                p.View[i] = default;
            return $"munmap {pid} {page}+{count}";
        }

        // Linux: ENOMEM when the start is unmapped (nothing changed) or a hole follows
        // (everything before the hole changed).
        static string Mprotect(ModelProcess p, int pid, int page, int count, Protection prot)
        {
            int done = 0;
            while (done < count && p.View[page + done].Mapped)
                done++;
            int expected = done == count ? 0 : -(int)Errno.ENOMEM;
            Assert.Equal(expected, p.Space.Mprotect(AddressOf(page), (ulong)count * Page.Size, prot));
            for (int i = 0; i < done; i++)
                p.View[page + i].Prot = prot;
            return $"mprotect {pid} {page}+{count} {prot} -> {expected}";
        }

        // MADV_DONTNEED: private pages read zero again, shared pages keep the object's data.
        static string Madvise(ModelProcess p, int pid, int page, int count)
        {
            bool hole = false;
            for (int i = page; i < page + count; i++)
            {
                if (!p.View[i].Mapped)
                    hole = true;
                else if (!p.View[i].Shared)
                    p.View[i].Content = 0;
            }
            int expected = hole ? -(int)Errno.ENOMEM : 0;
            Assert.Equal(expected, p.Space.Madvise(AddressOf(page), (ulong)count * Page.Size, AddressSpace.MadviseDontNeed));
            return $"madvise {pid} {page}+{count} -> {expected}";
        }

        // brk grows with zero pages and shrinking forgets the pages above the new end.
        static string Brk(ModelProcess p, int pid, int pages)
        {
            ulong target = AddressSpace.DefaultBrkStart + (ulong)pages * Page.Size;
            Assert.Equal(target, p.Space.Brk(target));
            for (int i = 0; i < HeapPages; i++)
            {
                ref ModelPage slot = ref p.View[WindowPages + i];
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
        static string Mremap(ModelProcess p, int pid, int page, int count, Op op)
        {
            ulong address = AddressOf(page);
            int newCount = op.NewCount;
            if (op.Mode == 2)
            {
                int destination = op.Dest % (WindowPages - newCount + 1);
                if (destination < page + count && page < destination + newCount)
                    return "mremap skipped (overlap)";
                return MremapFixed(p, pid, page, count, destination, newCount);
            }
            newCount = System.Math.Min(newCount, WindowPages - page);
            int vmaEnd = p.View[page].Mapped ? VmaEndPage(p, page) : -1;
            long result = p.Space.Mremap(address, (ulong)count * Page.Size, (ulong)newCount * Page.Size, RemapFlags.None, 0);
            if (!p.View[page].Mapped)
            {
                Assert.Equal(-(long)Errno.EFAULT, result);
                return $"mremap {pid} {page}+{count} -> {newCount}: EFAULT";
            }
            if (newCount <= count)
            {
                Assert.Equal((long)address, result);
                for (int i = page + newCount; i < page + count; i++)
                    p.View[i] = default;
                return $"mremap shrink {pid} {page}+{count} -> {newCount}";
            }
            if (vmaEnd < page + count)
            {
                Assert.Equal(-(long)Errno.EFAULT, result);
                return $"mremap {pid} {page}+{count} -> {newCount}: EFAULT (spans VMAs)";
            }
            bool roomAbove = vmaEnd == page + count;
            for (int i = page + count; i < page + newCount; i++)
                roomAbove &= !p.View[i].Mapped;
            if (!roomAbove)
            {
                Assert.Equal(-(long)Errno.ENOMEM, result);
                return $"mremap {pid} {page}+{count} -> {newCount}: ENOMEM";
            }
            Assert.Equal((long)address, result);
            ModelPage last = p.View[page + count - 1];
            for (int i = count; i < newCount; i++)
                p.View[page + i] = Grown(last, i - count + 1);
            return $"mremap grow {pid} {page}+{count} -> {newCount}";
        }

        static string MremapFixed(ModelProcess p, int pid, int page, int count, int destination, int newCount)
        {
            int moved = System.Math.Min(count, newCount);
            int vmaEnd = p.View[page].Mapped ? VmaEndPage(p, page) : -1;
            long result = p.Space.Mremap(AddressOf(page), (ulong)count * Page.Size, (ulong)newCount * Page.Size,
                                         RemapFlags.MayMove | RemapFlags.Fixed, AddressOf(destination));
            string what = $"mremap fixed {pid} {page}+{count} -> {destination}+{newCount}";
            if (!p.View[page].Mapped)
            {
                Assert.Equal(-(long)Errno.EFAULT, result);
                return what + ": EFAULT";
            }
            if (vmaEnd < page + moved)
            {
                // Linux (mremap_to) unmaps the destination and cuts the source down to
                // newCount before it finds that the source spans VMAs.
                Assert.Equal(-(long)Errno.EFAULT, result);
                for (int i = destination; i < destination + newCount; i++)
                    p.View[i] = default;
                for (int i = page + newCount; i < page + count; i++)
                    p.View[i] = default;
                return what + ": EFAULT (spans VMAs)";
            }
            Assert.Equal((long)AddressOf(destination), result);
            var source = new ModelPage[moved];
            System.Array.Copy(p.View, page, source, 0, moved);
            for (int i = page; i < page + count; i++)
                p.View[i] = default;
            for (int i = 0; i < newCount; i++)
                p.View[destination + i] = i < moved ? source[i] : Grown(source[moved - 1], i - moved + 1);
            return what;
        }

        // mremap of the whole VMA holding `page` to the same offset in the other half of
        // the window, when it lies in one half and the destination is free: the VMA object
        // moves with all its anon_vma chains (no split), and its pages with it.
        static string MoveVma(ModelProcess p, int pid, int page)
        {
            if (!p.View[page].Mapped)
                return "move vma skipped (unmapped)";
            Vma vma = p.Space.FindVma(AddressOf(page));
            Assert.NotNull(vma);
            const int half = WindowPages / 2;
            if (vma.Start < Window || vma.End > Window + WindowPages * Page.Size)
                return "move vma skipped (leaves the window)";
            int first = (int)((vma.Start - Window) / Page.Size);
            int pages = (int)(vma.Length / Page.Size);
            if ((first < half) != (first + pages - 1 < half))
                return "move vma skipped (spans both halves)";
            VmaEndPage(p, first);
            int destination = first < half ? first + half : first - half;
            for (int i = destination; i < destination + pages; i++)
                if (p.View[i].Mapped)
                    return "move vma skipped (destination taken)";
            Assert.Equal((long)AddressOf(destination), p.Space.Mremap(vma.Start, vma.Length, vma.Length,
                                                                      RemapFlags.MayMove | RemapFlags.Fixed,
                                                                      AddressOf(destination)));
            for (int i = 0; i < pages; i++)
            {
                p.View[destination + i] = p.View[first + i];
                p.View[first + i] = default;
            }
            return $"move vma {pid} {first}+{pages} -> {destination}";
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

        // One past the last window page of the real VMA (under AnonOffsets.Reserve: the
        // mremap unit) containing `page`, after checking that the model's pages up to there
        // agree with being one VMA.
        static int VmaEndPage(ModelProcess p, int page)
        {
            Vma vma = p.Space.FindVma(AddressOf(page));
            Assert.NotNull(vma);
            ulong endPage = (p.Space.RemapUnitEnd(vma) - Window) / Page.Size;
            int end = (int)System.Math.Min(endPage, (ulong)WindowPages);
            ModelPage first = p.View[page];
            for (int i = page; i < end; i++)
            {
                ModelPage q = p.View[i];
                Assert.True(q.Mapped && q.Prot == first.Prot && q.Shared == first.Shared
                            && (!q.Shared || (q.Object == first.Object && q.Index == first.Index + (ulong)(i - page))),
                            $"the real VMA (or mremap group) [0x{vma.Start:x}, 0x{p.Space.RemapUnitEnd(vma):x}) covers pages {page} and {i}, which the model says cannot share a VMA: {first} vs {q}");
            }
            return end;
        }

        // page_referenced on the frame at `anyPage`: counts at most its mappings, and a
        // second call right after finds every Accessed bit clear.
        static string Referenced(TestMachine m, ModelProcess p, int pid, int anyPage)
        {
            Pte pte = p.Space.PageTable.Lookup(AddressOf(anyPage));
            if (!pte.HasFrame || m.Manager.ZeroPage.IsMappedBy(pte))
                return "referenced skipped";     // reclaim never asks about the zero page
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
        static string UnmapAndRestore(TestMachine m, ModelProcess p, int pid, int anyPage)
        {
            Pte pte = p.Space.PageTable.Lookup(AddressOf(anyPage));
            if (!pte.HasFrame || m.Manager.ZeroPage.IsMappedBy(pte))
                return "unmap skipped";     // reclaim never unmaps the zero page: it is on no LRU
            ulong frame = pte.Frame;
            bool shared = (m.Frames.Frame(frame).Flags & PageFrameFlags.Shmem) != 0;
            Dictionary<(AddressSpace, ulong), Pte> before = Rmap.RmapTestSupport.MappingsOf(m, frame);
            Assert.Equal(m.Frames.Frame(frame).MapCount, Rmap.RmapTestSupport.PteCount(before));
            m.Frames.Get(frame);
            Pte swapPte = new Pte(new SwapEntry(0, 9).ToPte());
            Assert.True(new TryToUnmap(m.Manager).Unmap(frame, swapPte));
            Assert.Empty(m.Mmu.StaleEntries());
            foreach (var (space, address) in before.Keys)
                Assert.Equal(shared ? Pte.NoneEntry.Raw : swapPte.Raw, space.PageTable.Lookup(address).Raw);
            Rmap.RmapTestSupport.PutBackByHand(m, frame, shared ? new Dictionary<(AddressSpace, ulong), Pte>() : before);
            return $"unmap {pid} {anyPage}: {before.Count} mappings, {(shared ? "shared" : "private")}";
        }

        // Every readable page of every process holds what the model says.
        public static void VerifyAll(TestMachine m, ReferenceModel model)
        {
            foreach (ModelProcess p in model.Processes)
                for (int i = 0; i < Pages; i++)
                    if (model.Readable(p.View[i]))
                        Assert.Equal(model.Expected(p.View[i]), m.Read(p.Space, AddressOf(i)));
        }
    }
}
