using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host.Model
{
    // A process: its real address space and the model of its 24-page mmap window plus
    // its 6-page brk heap (model page i < WindowPages is window page i, the rest the heap).
    public sealed class ModelProcess
    {
        public const ulong Window = 0x4000_0000;
        public const int WindowPages = 24;
        public const int HeapPages = 6;
        public const int Pages = WindowPages + HeapPages;
        // Bound of an op's Pid draw: the most processes any ModelOptions allows.
        public const int MaxPids = 8;

        public AddressSpace Space;
        public ModelPage[] View = new ModelPage[Pages];
        public int HeapTop;       // brk heap pages in use

        // The child of fork: same model pages, the given real space.
        public ModelProcess ForkedAs(AddressSpace child)
        {
            return new ModelProcess { Space = child, View = (ModelPage[])View.Clone(), HeapTop = HeapTop };
        }

        // Virtual address of model page `page`.
        public static ulong AddressOf(int page)
        {
            return page < WindowPages ? Window + (ulong)page * Page.Size
                                      : AddressSpace.DefaultBrkStart + (ulong)(page - WindowPages) * Page.Size;
        }

        // True when `address` lies in the mmap window.
        public static bool InWindow(ulong address)
        {
            return address >= Window && address < Window + WindowPages * Page.Size;
        }
    }
}
