namespace Cowbird.Mm.Vm
{
    // Bits of the error code the CPU pushes with #PF (Intel SDM vol. 3, 4.7): the one
    // definition, used by Kernel.Mm's FaultHandler, the software MMU of the host tests
    // and the kernel's panic report (FaultReport.cs).
    public static class FaultErrorCode
    {
        // Set: the page was present, the access violated its protection.
        // Clear: the page (or a table on the way) was not present.
        public const ulong Present = 1 << 0;
        // The access was a write.
        public const ulong Write = 1 << 1;
        // The access came from user mode (CPL 3).
        public const ulong User = 1 << 2;
        // A reserved bit was set in a paging entry: corrupt page tables.
        public const ulong ReservedBit = 1 << 3;
        // The access was an instruction fetch.
        public const ulong InstructionFetch = 1 << 4;
        // A protection key (PKRU) forbade the access.
        public const ulong ProtectionKey = 1 << 5;
    }
}
