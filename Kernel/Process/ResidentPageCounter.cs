using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // Counts the present pages of an address space (Linux: get_mm_rss), by walking the
    // page table over every VMA.
    public sealed class ResidentPageCounter : PteVisitor
    {
        private ulong count;

        public ulong Count(AddressSpace space)
        {
            count = 0;
            for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
                space.PageTable.Walk(vma.Start, vma.End, this);
            return count;
        }

        public override void Visit(ulong virtualAddress, ulong pteAddress, Pte pte)
        {
            if (pte.IsPresent)
                count++;
        }
    }
}
