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
        internal const uint HasDispatchMapFlag = 0x00040000;
        internal const uint HasFinalizerFlag = 0x00100000;
        internal const uint HasSealedVTableEntriesFlag = 0x00400000;
        internal const uint GenericVarianceFlag = 0x00800000;
        internal const uint IsGenericFlag = 0x02000000;
        // Extended flags (low 16 bits of types without a component size).
        private const uint ValueTypeFieldPaddingMask = 0xE0;
        private const int ValueTypeFieldPaddingShift = 5;
        private const uint NullableValueOffsetMask = 0x700;
        private const int NullableValueOffsetShift = 8;

        // Element-type codes stored in bits 26-30 of Flags.
        internal const uint ElementTypeValueType = 0x10;
        internal const uint ElementTypeEnum = 0x11;
        internal const uint ElementTypeNullable = 0x12;
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

        // Size of the unboxed payload of a boxed value type: the base size less the
        // header, the MethodTable pointer and the padding that rounded it up.
        internal uint ValueTypeSize =>
            BaseSize - (uint)(sizeof(ulong) + sizeof(MethodTable*)) - ((Flags & ValueTypeFieldPaddingMask) >> ValueTypeFieldPaddingShift);

        // Nullable<T>: where the T value sits after the bool HasValue.
        internal uint NullableValueOffset => 1u << (int)((Flags & NullableValueOffsetMask) >> NullableValueOffsetShift);

        internal bool HasGenericVariance => (Flags & GenericVarianceFlag) != 0;

        internal bool IsGeneric => (Flags & IsGenericFlag) != 0;

        // The interface map sits right after the vtable.
        internal MethodTable** InterfaceMap
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (MethodTable**)((byte*)self + sizeof(MethodTable) + NumVtableSlots * sizeof(void*));
            }
        }

        // The vtable: NumVtableSlots code pointers right after the fixed header.
        internal void** VTable
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (void**)(self + 1);
            }
        }

        // After the interface map come 4-byte self-relative pointers: TypeManager,
        // WritableData, then DispatchMap, Finalizer, SealedVirtualSlots when flagged.
        private int* RelativePointers => (int*)(InterfaceMap + NumInterfaces);

        private static byte* FollowRelative(int* field) => (byte*)field + *field;

        // This type's own dispatch map (interface slot -> implementation), or null.
        internal DispatchMap* DispatchMap
        {
            get
            {
                if ((Flags & HasDispatchMapFlag) == 0)
                    return null;
                return (DispatchMap*)FollowRelative(RelativePointers + 2);
            }
        }

        // The relative pointer that follows DispatchMap, Finalizer and SealedVirtualSlots
        // when present: the first of the generic fields (GenericDefinition, GenericComposition).
        private int* GenericFields
        {
            get
            {
                int* pointer = RelativePointers + 2;
                if ((Flags & HasDispatchMapFlag) != 0)
                    pointer++;
                if ((Flags & HasFinalizerFlag) != 0)
                    pointer++;
                if ((Flags & HasSealedVTableEntriesFlag) != 0)
                    pointer++;
                return pointer;
            }
        }

        // The open generic type (e.g. IStore<>) of a generic instantiation, or null.
        internal MethodTable* GenericDefinition => IsGeneric ? (MethodTable*)FollowRelative(GenericFields) : null;

        // Type argument `index` of a generic instantiation. With one type argument
        // the composition pointer points straight at it; otherwise at
        // {ushort arity, padding to 8 bytes, MethodTable* arguments[arity], variance bytes}.
        internal MethodTable* GenericArgument(int index)
        {
            byte* composition = FollowRelative(GenericFields + 1);
            if (GenericDefinition->GenericDefinitionArity == 1)
                return (MethodTable*)composition;
            return ((MethodTable**)(composition + sizeof(void*)))[index];
        }

        // A generic type definition keeps its number of type parameters in the low 16 bits of Flags.
        private ushort GenericDefinitionArity => (ushort)Flags;

        // Entry `index` of the sealed vtable (implementations outside the vtable), or null.
        internal void* SealedVirtualSlot(int index)
        {
            if ((Flags & HasSealedVTableEntriesFlag) == 0)
                return null;
            int* field = RelativePointers + 2;
            if ((Flags & HasDispatchMapFlag) != 0)
                field++;
            if ((Flags & HasFinalizerFlag) != 0)
                field++;
            int* table = (int*)FollowRelative(field);
            return FollowRelative(table + index);
        }
    }

    // The dispatch map ILC emits for a type that implements interface methods
    // itself: a header of four counts, then 6-byte entries, standard ones first,
    // then default-interface-method ones (static-virtual entries follow, unused).
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct DispatchMap
    {
        internal ushort StandardEntryCount;
        internal ushort DefaultEntryCount;
        internal ushort StandardStaticEntryCount;
        internal ushort DefaultStaticEntryCount;

        internal DispatchMapEntry* Entries
        {
            get
            {
                fixed (DispatchMap* self = &this)
                    return (DispatchMapEntry*)(self + 1);
            }
        }
    }

    // "Slot InterfaceSlot of interface InterfaceIndex (in the type's interface map)
    // is implemented by ImplementationSlot": below the type's vtable size a
    // vtable slot (read from the object's own type, so overrides win), above it
    // an index into the sealed vtable of the type owning the map.
    [StructLayout(LayoutKind.Sequential)]
    internal struct DispatchMapEntry
    {
        internal ushort InterfaceIndex;
        internal ushort InterfaceSlot;
        internal ushort ImplementationSlot;

        internal const ushort AmbiguousImplementation = 0xFFFE;   // diamond
        internal const ushort Reabstracted = 0xFFFF;
    }
}
