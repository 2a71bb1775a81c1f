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

        // The PTE of every mapping the rmap walk finds for `pfn`, by (space, address).
        public static Dictionary<(AddressSpace, ulong), Pte> MappingsOf(TestMachine m, ulong pfn)
        {
            var mappings = new Dictionary<(AddressSpace, ulong), Pte>();
            foreach (var (space, address) in Walk(m, pfn))
                mappings[(space, address)] = space.PageTable.Lookup(address);
            return mappings;
        }

        // Number of distinct PTEs among `mappings` (a shared table's PTE maps its page for
        // every sharer): what the frame's MapCount counts.
        public static int PteCount(Dictionary<(AddressSpace, ulong), Pte> mappings)
        {
            var ptes = new HashSet<ulong>();
            foreach (var (space, address) in mappings.Keys)
                ptes.Add(space.PageTable.FindPte(address));
            return ptes.Count;
        }

        // Undoes a TryToUnmap of private page `pfn` done with the caller's own reference
        // (what a test does where no swap-out follows): writes the saved PTEs back, one
        // map count and reference each, clears Dirty and drops the caller's reference.
        // A PTE in a last-level table several spaces share is written (and counted) once.
        public static void PutBackByHand(TestMachine m, ulong pfn, Dictionary<(AddressSpace, ulong), Pte> mappings)
        {
            var written = new HashSet<ulong>();
            foreach (var ((space, address), pte) in mappings)
            {
                ulong pteAddress = space.PageTable.FindPte(address);
                if (!written.Add(pteAddress))
                    continue;
                space.ReplaceForSharers(pteAddress, address, pte);
                m.Manager.Rmap.AddAnonPage(pfn, space.FindVma(address), address);
                m.Frames.Get(pfn);
            }
            m.Frames.Frame(pfn).Flags &= ~Cowbird.Mm.Physical.PageFrameFlags.Dirty;
            m.Frames.Put(pfn);
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
