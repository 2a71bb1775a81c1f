using Cowbird.Mm.Paging;
using Cowbird.Mm.Swap;

namespace Cowbird.Mm.Vm
{
    // mincore (Linux 6.1: mm/mincore.c): one byte per page of a range, bit 0 set when the
    // page is in memory. What counts as in memory, as Linux's mincore_pte_range says:
    //   - a PTE holding a frame (present or PROT_NONE), the shared zero page included;
    //   - a swap PTE whose page is still in the swap cache (read ahead, or written out but
    //     not yet freed); a swap PTE whose page has left memory is 0;
    //   - no PTE: 0 for private memory (never touched, or dropped), and for a shared
    //     mapping whatever its object holds at that index (a page another process faulted
    //     in is in memory; a swapped one only while it is in the swap cache).
    // The range is done VMA by VMA, a bounded number of pages at a time, and each piece is
    // copied out before the next is looked at, as Linux's loop of do_mincore does; so when
    // a hole ends the walk with ENOMEM, the bytes of the pages before it are written.
    public sealed partial class AddressSpace
    {
        // Bytes of the vector computed before each copy to the user (Linux computes up to
        // a page of them; a smaller buffer keeps the kernel stack small and differs only
        // when the vector lies inside the range it describes).
        const int MincoreChunk = 256;

        // mincore(start, length, vec). 0, or -errno in Linux's order: EINVAL for an
        // unaligned start; ENOMEM for a range reaching past TaskSize; EFAULT when the
        // vector (one byte per page) would reach past TaskSize; 0 for length 0; then, piece
        // by piece, ENOMEM at the first unmapped page and EFAULT when a byte of the vector
        // cannot be written.
        public unsafe int Mincore(ulong start, ulong length, ulong vec)
        {
            if (!Page.IsAligned(start))
                return -(int)Errno.EINVAL;
            if (!FitsBelowTaskSize(start, length))
                return -(int)Errno.ENOMEM;
            ulong pages = (length >> Page.Shift) + (Page.IsAligned(length) ? 0UL : 1UL);
            if (!FitsBelowTaskSize(vec, pages))
                return -(int)Errno.EFAULT;
            byte* buffer = stackalloc byte[MincoreChunk];
            while (pages > 0)
            {
                Vma vma = FindVma(start);
                if (vma == null)
                    return -(int)Errno.ENOMEM;
                ulong count = (vma.End - start) >> Page.Shift;
                if (count > pages)
                    count = pages;
                if (count > MincoreChunk)
                    count = MincoreChunk;
                for (ulong i = 0; i < count; i++)
                    buffer[i] = IsResident(vma, start + (i << Page.Shift)) ? (byte)1 : (byte)0;
                if (UserMemory.CopyToUser(this, vec, buffer, count) != Errno.None)
                    return -(int)Errno.EFAULT;
                pages -= count;
                vec += count;
                start += count << Page.Shift;
            }
            return 0;
        }

        // True when [address, address + length) lies at or below TaskSize (Linux:
        // access_ok, which takes any address up to TASK_SIZE_MAX, even 0).
        static bool FitsBelowTaskSize(ulong address, ulong length)
        {
            return length <= TaskSize && address <= TaskSize - length;
        }

        // mincore's answer for the page at `address` of `vma`.
        bool IsResident(Vma vma, ulong address)
        {
            Pte pte = PageTable.Lookup(address);
            if (pte.HasFrame)
                return true;
            if (pte.IsSwap)
                return IsInSwapCache(SwapEntry.FromPte(pte.Raw));
            if (!vma.IsShared)
                return false;
            ulong entry = vma.SharedObject.Pages.Lookup(vma.PageIndexOf(address));
            if (SharedAnonObject.IsFrameEntry(entry))
                return true;
            return entry != 0 && IsInSwapCache(SharedAnonObject.SwapEntryOf(entry));
        }

        // True when the page of swap entry `entry` is still in memory, in the swap cache
        // (Linux: mincore_page on the swap address space).
        bool IsInSwapCache(SwapEntry entry)
        {
            ulong pfn;
            return Manager.Swap != null && Manager.Swap.Cache.Lookup(entry, out pfn);
        }
    }
}
