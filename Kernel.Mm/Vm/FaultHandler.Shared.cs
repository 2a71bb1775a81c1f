using Cowbird.Mm.Paging;
using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Vm
{
    public static partial class FaultHandler
    {
        // First touch of a page of a shared anonymous VMA in this address space (Linux:
        // shmem_fault): map the object's page at the VMA's linear index, allocating a
        // zeroed one if no process touched it yet. Writable as the VMA allows: shared
        // pages are never copy-on-write. A swapped-out page comes back through the object.
        // A page past the object's end (mremap grew the mapping) is SIGBUS.
        static FaultResult SharedFault(AddressSpace space, Vma vma, ulong page, ulong pteAddress)
        {
            MemoryManager manager = space.Manager;
            if (vma.SharedObject == null)
                Mm.Panic("FaultHandler.SharedFault: shared VMA without a backing object");
            ulong index = vma.PageIndexOf(page);
            if (index >= vma.SharedObject.SizePages)
                return FaultResult.SigBusPastObject;
            ulong pfn;
            Errno error = vma.SharedObject.GetPage(index, out pfn);
            if (error == Errno.ENOMEM)
                return OutOfMemory(manager);
            if (error != Errno.None)
            {
                manager.Stat.SwapInError++;
                return FaultResult.SigBus;
            }
            manager.Rmap.AddSharedPage(pfn, vma, page);
            manager.Frames.Get(pfn);
            space.PageTable.Replace(pteAddress, page, Pte.Map(pfn, vma.PteFlags()));
            return FaultResult.Handled;
        }
    }
}
