using System.Runtime;
using Cowbird.Runtime.Heap;
using Internal.Runtime;

namespace Cowbird.Runtime
{
    // The allocation helpers ILC-generated code calls for `new`: each returns a
    // zeroed object whose first word is its MethodTable pointer (and, for arrays
    // and strings, whose second word is the element count).
    internal static unsafe class ObjectAllocator
    {
        // Size of the object header that precedes the MethodTable pointer.
        private const int HeaderSize = 8;

        // Allocates a zeroed block of `size` bytes and returns the object reference (past the header).
        private static void* AllocateObject(MethodTable* type, ulong size)
        {
            byte* block = GcHeap.Allocate(size);
            void* obj = block + HeaderSize;
            *(MethodTable**)obj = type;
            return obj;
        }

        // An object with a variable part: array or string of `length` elements.
        private static void* AllocateWithComponents(MethodTable* type, int length)
        {
            if (length < 0)
                RuntimePanic.Fail("ObjectAllocator: negative array length");
            ulong size = type->BaseSize + (ulong)length * type->ComponentSize;
            size = (size + 7) & ~7UL;
            void* obj = AllocateObject(type, size);
            *(int*)((byte*)obj + sizeof(void*)) = length;
            return obj;
        }

        [RuntimeExport("RhpNewFast")]
        private static void* RhpNewFast(MethodTable* type) => AllocateObject(type, type->BaseSize);

        // The collector runs no finalizers: a finalizable object is a plain object.
        [RuntimeExport("RhpNewFinalizable")]
        private static void* RhpNewFinalizable(MethodTable* type) => AllocateObject(type, type->BaseSize);

        [RuntimeExport("RhpNewArrayFast")]
        private static void* RhpNewArrayFast(MethodTable* type, int length) => AllocateWithComponents(type, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static void* RhpNewPtrArrayFast(MethodTable* type, int length) => AllocateWithComponents(type, length);

        [RuntimeExport("RhpNewArray")]
        private static void* RhpNewArray(MethodTable* type, int length) => AllocateWithComponents(type, length);

        [RuntimeExport("RhNewString")]
        private static void* RhNewString(MethodTable* type, int length) => AllocateWithComponents(type, length);

        // A string of `length` zero characters, for the corelib's string builders.
        internal static string NewString(MethodTable* stringType, int length)
        {
            void* obj = AllocateWithComponents(stringType, length);
            return *(string*)&obj;
        }

        // Allocates an instance of `type` for the runtime's own use (static bases, boxes).
        internal static object New(MethodTable* type)
        {
            void* obj = AllocateObject(type, type->BaseSize);
            return *(object*)&obj;
        }
    }
}
