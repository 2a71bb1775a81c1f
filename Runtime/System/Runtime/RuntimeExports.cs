using Cowbird.Runtime;
using Internal.Runtime;

namespace System.Runtime
{
    // Boxing helpers ILC binds by name. A box is a heap object holding a copy of
    // the value right after its MethodTable pointer. Nullable<T> has no boxed
    // form of its own: boxing one without a value gives null, with a value a box
    // of the T inside; unboxing to Nullable<T> accepts null or a boxed T.
    internal static unsafe class RuntimeExports
    {
        private static byte* DataOf(object obj) => *(byte**)&obj + sizeof(void*);

        internal static object RhBox(MethodTable* type, ref byte data)
        {
            fixed (byte* value = &data)
            {
                byte* source = value;
                if (type->IsNullable)
                {
                    if (*source == 0)
                        return null;
                    source += type->NullableValueOffset;
                    type = type->GenericArgument(0);
                }
                object box = ObjectAllocator.New(type);
                Memory.Copy(DataOf(box), source, type->ValueTypeSize);
                return box;
            }
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
            if (obj.m_pMethodTable != type)
                RuntimePanic.Fail("RuntimeExports.RhUnbox2: invalid cast");
            return ref *DataOf(obj);
        }

        // `(T)obj` for any T: copies the value for value types, the reference otherwise.
        internal static void RhUnboxAny(object obj, ref byte data, MethodTable* type)
        {
            if (type->IsNullable)
            {
                RhUnboxNullable(ref data, type, obj);
                return;
            }
            fixed (byte* destination = &data)
            {
                if (type->IsValueType)
                    Memory.Copy(destination, (byte*)Unbox(type, obj), type->ValueTypeSize);
                else
                    *(object*)destination = TypeCast.CheckCastAny(type, obj);
            }
        }

        // `(T?)obj`: null gives a Nullable without a value; otherwise obj must be a boxed T.
        internal static void RhUnboxNullable(ref byte data, MethodTable* nullableType, object obj)
        {
            fixed (byte* destination = &data)
            {
                Memory.Fill(destination, 0, nullableType->ValueTypeSize);
                if ((object)obj == null)
                    return;
                MethodTable* valueType = nullableType->GenericArgument(0);
                Memory.Copy(destination + nullableType->NullableValueOffset, (byte*)Unbox(valueType, obj), valueType->ValueTypeSize);
                *destination = 1;
            }
        }

        private static void* Unbox(MethodTable* type, object obj)
        {
            fixed (byte* value = &RhUnbox2(type, obj))
                return value;
        }
    }
}
