namespace Cowbird.Mm.Vm
{
    // Recycles Vma objects (Linux: the vm_area_cachep slab cache). The kernel's managed
    // heap never gives memory back, so Kernel.Mm returns every VMA it drops here and
    // takes new ones from here; InUse lets tests check that exit frees every VMA.
    // A freed VMA has Owner null until it is handed out again.
    public sealed class VmaCache
    {
        Vma freeList;
        int inUse;
        int cached;

        public int InUse { get { return inUse; } }
        public int Cached { get { return cached; } }

        // A VMA for [start, end) of `owner`, reusing a freed object when there is one.
        public Vma Alloc(AddressSpace owner, ulong start, ulong end, Protection prot, VmaFlags flags, ulong pgOff)
        {
            Vma vma = freeList;
            if (vma != null)
            {
                freeList = vma.Next;
                vma.Next = null;
                cached--;
                vma.Reset(owner, start, end, prot, flags, pgOff);
            }
            else
            {
                vma = new Vma(owner, start, end, prot, flags, pgOff);
            }
            inUse++;
            return vma;
        }

        // Takes back a VMA that has left its tree. Panics on a double free.
        public void Free(Vma vma)
        {
            if (vma.Owner == null)
                Mm.Panic("VmaCache.Free: VMA freed twice");
            if (vma.Left != null || vma.Right != null || vma.Prev != null || vma.Next != null)
                Mm.Panic("VmaCache.Free: VMA is still linked in a tree");
            vma.Reset(null, 0, 0, Protection.None, VmaFlags.None, 0);
            vma.Next = freeList;
            freeList = vma;
            cached++;
            inUse--;
        }
    }
}
