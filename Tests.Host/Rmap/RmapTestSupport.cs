using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host.Rmap
{
    // Small helpers shared by the rmap tests.
    public static class RmapTestSupport
    {
        // The anon_vma design the machine runs (the default).
        public static AnonVmaReverseMap Anon(TestMachine m)
        {
            return (AnonVmaReverseMap)m.Manager.Rmap;
        }

        // Frame mapped at `address` in `space` (the PTE must hold one).
        public static ulong FrameAt(AddressSpace space, ulong address)
        {
            Pte pte = space.PageTable.Lookup(address);
            Xunit.Assert.True(pte.HasFrame, "no frame mapped at the address");
            return pte.Frame;
        }

        // Every (space, address) the machine's rmap walk visits for `pfn`.
        public static List<(AddressSpace, ulong)> Walk(TestMachine m, ulong pfn)
        {
            return Walk(m.Manager.Rmap, pfn);
        }

        public static List<(AddressSpace, ulong)> Walk(ReverseMap rmap, ulong pfn)
        {
            var visitor = new Collector();
            Xunit.Assert.True(rmap.Walk(pfn, visitor));
            return visitor.Seen;
        }

        // Number of anon_vmas a VMA is linked to (its chain list length).
        public static int ChainLength(Vma vma)
        {
            int n = 0;
            for (AnonVmaChain chain = vma.AnonVmaChainHead; chain != null; chain = chain.SameVmaNext)
                n++;
            return n;
        }

        // VMAs of every live space.
        public static int VmaCount(TestMachine m)
        {
            int n = 0;
            foreach (AddressSpace space in m.Spaces)
                n += space.Vmas.Count;
            return n;
        }

        // What mremap's move does (Linux move_vma): a new VMA at `to` with the old PgOff,
        // linked by anon_vma_clone, the PTEs moved over, then the old VMA unlinked and freed.
        public static void MoveVma(TestMachine m, AddressSpace space, ulong from, ulong to)
        {
            Vma old = space.FindVma(from);
            Xunit.Assert.Equal(from, old.Start);
            ulong length = old.Length;
            Xunit.Assert.True(space.Vmas.IsFree(to, to + length));
            Vma moved = m.Manager.VmaCache.Alloc(space, to, to + old.Length, old.Prot, old.Flags, old.PgOff);
            m.Manager.Rmap.CloneVma(moved, old);
            space.Vmas.Insert(moved);
            for (ulong offset = 0; offset < old.Length; offset += Page.Size)
            {
                ulong source = space.PageTable.FindPte(from + offset);
                if (source == 0 || space.PageTable.Read(source).IsNone)
                    continue;
                Pte pte = space.PageTable.Read(source);
                space.PageTable.Replace(space.PageTable.EnsurePte(to + offset), to + offset, pte);
                space.PageTable.Replace(source, from + offset, Pte.NoneEntry);
            }
            m.Manager.Rmap.UnlinkVma(old);
            space.Vmas.Remove(old);
            m.Manager.VmaCache.Free(old);
            space.PageTable.FreeEmptyTables(from, from + length);
        }

        sealed class Collector : RmapVisitor
        {
            public readonly List<(AddressSpace, ulong)> Seen = new List<(AddressSpace, ulong)>();

            public override bool Visit(Vma vma, ulong address, ulong pteAddress, Pte pte)
            {
                Seen.Add((vma.Owner, address));
                return true;
            }
        }
    }
}
