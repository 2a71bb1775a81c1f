using Cowbird.Runtime;
using Internal.Runtime;

namespace System.Runtime
{
    // Casting helpers ILC calls (by name) for `is`, `as`, casts and stores into
    // reference-type arrays. A type is assignable to a class when the class is on
    // its base-type chain, and to an interface when the interface is in its
    // interface map (which ILC already flattens over bases and inherited interfaces).
    // Arrays convert to System.Array and System.Object, and covariantly to arrays
    // of a base or interface element type. Generic variance (IEnumerable<string>
    // as IEnumerable<object>) is not supported: a cast that could only succeed
    // through it panics rather than answer wrongly.
    internal static unsafe class TypeCast
    {
        // Offset of element 0 in an array: MethodTable pointer, length, padding.
        private const int ArrayDataOffset = 16;

        // The object's MethodTable: the first word of the object.
        private static MethodTable* TypeOf(object obj) => obj.m_pMethodTable;

        // True when a value of type `source` may be stored in a location of type `target`.
        internal static bool AreTypesAssignable(MethodTable* source, MethodTable* target)
        {
            if (source == target)
                return true;
            if (target->IsInterface)
                return ImplementsInterface(source, target);
            if (source->IsArray)
                return target->IsArray ? AreArrayTypesAssignable(source, target) : IsSystemObject(target) || target == MethodTable.Of<Array>();
            for (MethodTable* type = source->BaseType; type != null; type = type->BaseType)
                if (type == target)
                    return true;
            if (target->HasGenericVariance && target->GenericDefinition == source->GenericDefinition)
                FailVariance();
            return false;
        }

        private static void FailVariance()
        {
            RuntimePanic.Fail("TypeCast: casts through generic variance are not supported");
        }

        // System.Object is the only class without a base type.
        private static bool IsSystemObject(MethodTable* type) => !type->IsInterface && !type->IsArray && type->RelatedType == null;

        // Arrays of the same rank kind convert when their reference element types do (array covariance).
        private static bool AreArrayTypesAssignable(MethodTable* source, MethodTable* target)
        {
            if (source->ElementType != target->ElementType || source->BaseSize != target->BaseSize)
                return false;
            MethodTable* sourceElement = source->RelatedType;
            MethodTable* targetElement = target->RelatedType;
            if (sourceElement == targetElement)
                return true;
            return !sourceElement->IsValueType && !targetElement->IsValueType && AreTypesAssignable(sourceElement, targetElement);
        }

        private static bool ImplementsInterface(MethodTable* type, MethodTable* itf)
        {
            MethodTable** map = type->InterfaceMap;
            for (int i = 0; i < type->NumInterfaces; i++)
                if (map[i] == itf)
                    return true;
            if (itf->HasGenericVariance)
                for (int i = 0; i < type->NumInterfaces; i++)
                    if (map[i]->GenericDefinition == itf->GenericDefinition)
                        FailVariance();
            return false;
        }

        private static object IsInstanceOf(MethodTable* target, object obj)
        {
            if ((object)obj == null || AreTypesAssignable(TypeOf(obj), target))
                return obj;
            return null;
        }

        private static object CheckCast(MethodTable* target, object obj)
        {
            if ((object)obj == null || AreTypesAssignable(TypeOf(obj), target))
                return obj;
            RuntimePanic.Fail("invalid cast");
            return null;
        }

        internal static object IsInstanceOfClass(MethodTable* target, object obj) => IsInstanceOf(target, obj);
        internal static object IsInstanceOfInterface(MethodTable* target, object obj) => IsInstanceOf(target, obj);
        internal static object IsInstanceOfAny(MethodTable* target, object obj) => IsInstanceOf(target, obj);
        internal static bool IsInstanceOfException(MethodTable* target, object obj) => (object)obj != null && AreTypesAssignable(TypeOf(obj), target);
        internal static object CheckCastClass(MethodTable* target, object obj) => CheckCast(target, obj);
        internal static object CheckCastClassSpecial(MethodTable* target, object obj) => CheckCast(target, obj);
        internal static object CheckCastInterface(MethodTable* target, object obj) => CheckCast(target, obj);
        internal static object CheckCastAny(MethodTable* target, object obj) => CheckCast(target, obj);

        // Address of element `index` of a reference array, after the bounds check.
        private static object* ElementAddress(object[] array, nint index)
        {
            if ((nuint)index >= (nuint)array.Length)
                RuntimePanic.Fail("index out of range");
            object reference = array;
            return (object*)(*(byte**)&reference + ArrayDataOffset) + index;
        }

        // `array[index] = obj` for reference arrays: the stored object must fit the
        // array's actual element type (arrays are covariant in C#).
        internal static void StelemRef(object[] array, nint index, object obj)
        {
            object* element = ElementAddress(array, index);
            if ((object)obj != null && !AreTypesAssignable(TypeOf(obj), TypeOf(array)->RelatedType))
                RuntimePanic.Fail("array type mismatch");
            *element = obj;
        }

        // `ref array[index]`: only allowed when the array's element type is exactly `elementType`.
        internal static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            object* element = ElementAddress(array, index);
            if (TypeOf(array)->RelatedType != elementType)
                RuntimePanic.Fail("array type mismatch");
            return ref *element;
        }
    }
}
