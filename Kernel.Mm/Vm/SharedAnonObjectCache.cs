namespace Cowbird.Mm.Vm
{
    // Recycles SharedAnonObjects (the kernel heap never frees), like VmaCache does VMAs.
    // InUse lets tests check that exit frees every object.
    public sealed class SharedAnonObjectCache
    {
        SharedAnonObject freeList;
        int inUse;

        public int InUse { get { return inUse; } }

        // An empty object with no mappings, reusing a freed one when there is one.
        public SharedAnonObject Alloc(MemoryManager mm)
        {
            SharedAnonObject obj = freeList;
            if (obj != null)
                freeList = obj.NextFree;
            else
                obj = new SharedAnonObject(mm);
            obj.NextFree = null;
            obj.Cached = false;
            inUse++;
            return obj;
        }

        // Takes back an object whose last mapping is gone and whose pages are freed.
        public void Free(SharedAnonObject obj)
        {
            if (obj.Cached)
                Mm.Panic("SharedAnonObjectCache.Free: object freed twice");
            if (obj.MappingCount != 0 || !obj.Pages.IsEmpty)
                Mm.Panic("SharedAnonObjectCache.Free: object still in use");
            obj.Cached = true;
            obj.NextFree = freeList;
            freeList = obj;
            inUse--;
        }
    }
}
