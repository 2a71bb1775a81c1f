using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    // The header ILC emits per module; `__modules` points at it. Its rows
    // locate the tables the runtime must process at start-up.
    [StructLayout(LayoutKind.Sequential)]
    internal struct ReadyToRunHeader
    {
        internal uint Signature;
        internal ushort MajorVersion;
        internal ushort MinorVersion;
        internal uint Flags;
        internal ushort NumberOfSections;
        internal byte EntrySize;
        internal byte EntryType;

        internal const uint ExpectedSignature = 0x00525452; // "RTR"
    }

    // One row of the header: a section id and the [Start, End) range of its data.
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ModuleInfoRow
    {
        internal ReadyToRunSectionType SectionId;
        internal int Flags;
        internal byte* Start;
        internal byte* End;
    }

    internal enum ReadyToRunSectionType
    {
        GCStaticRegion = 201,
        ThreadStaticRegion = 202,
        TypeManagerIndirection = 204,
        EagerCctor = 205,
        FrozenObjectRegion = 206,
        ModuleInitializerList = 213,
    }

    // Tag bits of a GC static slot before it is initialised.
    internal static class GCStaticRegionConstants
    {
        internal const int Uninitialized = 1;
        internal const int HasPreInitializedData = 2;
        internal const int Mask = 3;
    }
}
