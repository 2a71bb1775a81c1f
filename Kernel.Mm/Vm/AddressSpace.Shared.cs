namespace Cowbird.Mm.Vm
{
    // Shared anonymous mappings (MAP_SHARED|MAP_ANONYMOUS): each mmap creates one
    // SharedAnonObject holding the pages; the VMA starts at page index 0 of it (Linux
    // ignores the offset for shared anonymous mmap). Splits, fork and mremap give the
    // new VMA the same object (LinkSharedObject); removing a VMA unlinks it, and the
    // last unlink frees the object's pages.
    public sealed partial class AddressSpace
    {
        // Maps the free range [start, end) to a new shared anonymous object; returns start,
        // or -ENOMEM when its commitment is refused. The object, not the VMA, is charged for
        // its size (Linux: shmem_acct_size at shmem_zero_setup), unless `flags` has
        // NoReserve, whatever the protection: any mapping of it may be made writable later.
        // A new object never merges with a neighbour (different backing object).
        long MapSharedAnonymous(ulong start, ulong end, Protection prot, VmaFlags flags)
        {
            ulong charged = (flags & VmaFlags.NoReserve) != 0 ? 0 : (end - start) >> Page.Shift;
            if (charged != 0 && Manager.Commit.Charge(this, charged) != Errno.None)
                return -(long)Errno.ENOMEM;
            Vma vma = new Vma(this, start, end, prot, flags, 0);
            Vmas.Insert(vma);
            LinkSharedObject(vma, new SharedAnonObject(Manager, (end - start) >> Page.Shift, charged));
            return (long)start;
        }

        // Makes `vma` one more mapping of `obj` (nothing to do when `obj` is null: private).
        void LinkSharedObject(Vma vma, SharedAnonObject obj)
        {
            if (obj != null)
                obj.Link(vma);
        }

        // Drops `vma`'s use of its shared object, if any (the object frees itself after
        // its last mapping). The VMA's PTEs must already be zapped.
        void UnlinkSharedObject(Vma vma)
        {
            if (vma.SharedObject != null)
                vma.SharedObject.Unlink(vma);
        }
    }
}
