using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Swap;

namespace Cowbird.Mm.Vm
{
    public static partial class FaultHandler
    {
        // A fault on a private PTE holding a swap entry (Linux: do_swap_page). The page
        // comes from the swap cache when it is there (a relative after fork, or read-ahead,
        // already read it: one read, one frame for everybody), else it is read into the
        // cache together with its neighbouring slots. Then it is mapped:
        //   - writable only when this PTE was the last holder of the slot and nobody else
        //     maps the frame (the cache lets go of it and the slot is freed): exclusive;
        //   - read-only otherwise, so copy-on-write still separates the processes that
        //     share it; a write fault then copies it on the retry.
        // The PTE gives up its hold on the slot (count - 1); at count 0 the page leaves the
        // swap cache. ENOMEM -> OutOfMemory; an I/O error -> SigBus, PTE unchanged.
        static FaultResult SwapIn(AddressSpace space, Vma vma, ulong page, ulong pteAddress, Pte pte, ulong errorCode)
        {
            MemoryManager manager = space.Manager;
            if (manager.Swap == null || vma.IsShared)
                Mm.Panic("FaultHandler.SwapIn: swap PTE without swap, or in a shared VMA");
            SwapEntry entry = SwapEntry.FromPte(pte.Raw);
            ulong pfn;
            Errno error = manager.SwapState.ReadPage(entry, true, out pfn);
            if (error == Errno.ENOMEM)
                return OutOfMemory(manager);
            if (error != Errno.None)
            {
                manager.Stat.SwapInError++;
                return FaultResult.SigBus;
            }
            if (space.PageTable.Read(pteAddress).Raw != pte.Raw)
                Mm.Panic("FaultHandler.SwapIn: swap PTE changed during swap-in");
            manager.Rmap.PrepareAnon(vma);
            ref PageFrame frame = ref manager.Frames.Frame(pfn);
            frame.Flags |= PageFrameFlags.Anonymous;
            if (frame.MapCount == 0)
            {
                bool exclusive = manager.Swap.Count(entry) == 1;
                manager.Rmap.AddSwappedInPage(pfn, vma, page, exclusive);
            }
            else if (frame.Index != vma.PageIndexOf(page))
                Mm.Panic("FaultHandler.SwapIn: cached page has another linear index");
            else
                manager.Rmap.AddAnonPage(pfn, vma, page);
            manager.SwapState.FreeEntry(entry);
            ulong flags = vma.PteFlags() | Pte.Accessed;
            if (frame.MapCount != 1 || frame.RefCount != 1)
                flags &= ~Pte.Writable;
            else if ((errorCode & FaultErrorCode.Write) != 0)
                flags |= Pte.Dirty;
            space.PageTable.Replace(pteAddress, page, Pte.Map(pfn, flags));
            manager.Stat.SwapInFault++;
            return FaultResult.Handled;
        }
    }
}
