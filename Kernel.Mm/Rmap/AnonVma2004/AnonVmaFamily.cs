using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // The 2004 anon_vma (Linux 2.6.7 to 2.6.33: struct anon_vma with its `head` list): one
    // per fork family, holding a flat list of every VMA that may map a page created in the
    // family. Pages point here (PageFrame.Mapping) with their linear index.
    public sealed class AnonVmaFamily
    {
        // First VMA of the list, linked through Vma.FamilyNext/FamilyPrev.
        public Vma First;
        // Length of the list.
        public int Count;
    }
}
