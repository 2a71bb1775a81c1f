using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    // The type descriptor ILC emits for every type (NativeAOT's MethodTable,
    // x64 layout of ILC 10). Only the fixed header is declared; the vtable and
    // the interface map follow it in memory. See shared docs for the full layout.
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MethodTable
    {
        // Low 16 bits: component size (arrays, strings) when HasComponentSizeFlag is set.
        internal uint Flags;
        // Size of an instance including the object header and MethodTable pointer.
        internal uint BaseSize;
        // Base type for classes; element type for arrays.
        internal MethodTable* RelatedType;
        internal ushort NumVtableSlots;
        internal ushort NumInterfaces;
        internal uint HashCode;

        internal const uint HasComponentSizeFlag = 0x80000000;
        internal const uint ElementTypeMask = 0x7C000000;
        internal const int ElementTypeShift = 26;
        internal const uint HasPointersFlag = 0x01000000;

        // Element-type codes stored in bits 26-30 of Flags.
        internal const uint ElementTypeValueType = 0x10;
        internal const uint ElementTypeNullable = 0x11;
        internal const uint ElementTypeClass = 0x14;
        internal const uint ElementTypeInterface = 0x15;
        internal const uint ElementTypeArray = 0x17;
        internal const uint ElementTypeSzArray = 0x18;

        // The MethodTable of T, filled in by ILC.
        [System.Runtime.CompilerServices.Intrinsic]
        internal static extern MethodTable* Of<T>();

        internal ushort ComponentSize => (Flags & HasComponentSizeFlag) != 0 ? (ushort)Flags : (ushort)0;

        internal uint ElementType => (Flags & ElementTypeMask) >> ElementTypeShift;

        internal bool IsArray => ElementType == ElementTypeArray || ElementType == ElementTypeSzArray;

        internal bool IsInterface => ElementType == ElementTypeInterface;

        internal bool IsValueType => ElementType < ElementTypeClass;

        internal bool IsNullable => ElementType == ElementTypeNullable;

        // Base type of a class, or null for arrays (whose RelatedType is the element type).
        internal MethodTable* BaseType => IsArray ? null : RelatedType;

        // Size of the unboxed payload of a boxed value type.
        internal uint ValueTypeSize => BaseSize - (uint)(sizeof(ulong) + sizeof(MethodTable*));

        // The interface map sits right after the vtable.
        internal MethodTable** InterfaceMap
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (MethodTable**)((byte*)self + sizeof(MethodTable) + NumVtableSlots * sizeof(void*));
            }
        }
    }
}
