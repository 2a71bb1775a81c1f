using Cowbird.Runtime;
using Internal.Runtime;

namespace System.Runtime
{
    // Boxing helpers ILC binds by name. A box is a heap object holding a copy of
    // the value right after its MethodTable pointer. Boxing Nullable<T> is not
    // supported yet (it needs the "box the underlying value or null" rule).
    internal static unsafe class RuntimeExports
    {
        private static byte* DataOf(object obj) => *(byte**)&obj + sizeof(void*);

        internal static object RhBox(MethodTable* type, ref byte data)
        {
            if (type->IsNullable)
                RuntimePanic.Fail("RuntimeExports.RhBox: boxing Nullable<T> is not supported");
            object box = ObjectAllocator.New(type);
            fixed (byte* source = &data)
                Memory.Copy(DataOf(box), source, type->ValueTypeSize);
            return box;
        }

        internal static object RhBoxAny(ref byte data, MethodTable* type)
        {
            if (type->IsValueType)
                return RhBox(type, ref data);
            fixed (byte* reference = &data)
                return *(object*)reference;
        }

        // Reference to the value inside `obj`, which must be a box of exactly `type`.
        internal static ref byte RhUnbox2(MethodTable* type, object obj)
        {
            if ((object)obj == null)
                RuntimePanic.Fail("RuntimeExports.RhUnbox2: unboxing null");
            if (*(MethodTable**)&obj != type)
                RuntimePanic.Fail("RuntimeExports.RhUnbox2: invalid cast");
            return ref *DataOf(obj);
        }

        // `(T)obj` for any T: copies the value for value types, the reference otherwise.
        internal static void RhUnboxAny(object obj, ref byte data, MethodTable* type)
        {
            fixed (byte* destination = &data)
            {
                if (type->IsValueType)
                    Memory.Copy(destination, (byte*)Unbox(type, obj), type->ValueTypeSize);
                else
                    *(object*)destination = TypeCast.CheckCastAny(type, obj);
            }
        }

        internal static void RhUnboxNullable(ref byte data, MethodTable* type, object obj)
        {
            RuntimePanic.Fail("RuntimeExports.RhUnboxNullable: Nullable<T> unboxing is not supported");
        }

        private static void* Unbox(MethodTable* type, object obj)
        {
            fixed (byte* value = &RhUnbox2(type, obj))
                return value;
        }
    }
}
