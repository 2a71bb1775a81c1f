namespace Cowbird.Kernel.Drivers.Ahci
{
    // Register offsets and bits of an AHCI host bus adapter (Serial ATA AHCI 1.3.1,
    // section 3). The HBA's memory (ABAR, PCI BAR5) holds the generic host control
    // registers, then one 0x80-byte register block per port from 0x100.
    public static class AhciRegisters
    {
        // Generic host control.
        public const uint Cap = 0x00;          // capabilities
        public const uint Ghc = 0x04;          // global host control
        public const uint Is = 0x08;           // interrupt status, one bit per port
        public const uint Pi = 0x0C;           // ports implemented
        public const uint Cap2 = 0x24;         // extended capabilities
        public const uint Bohc = 0x28;         // BIOS/OS handoff control and status

        public const uint CapS64a = 1u << 31;  // 64-bit physical addresses for DMA
        public const uint GhcAe = 1u << 31;    // AHCI enable (else legacy/IDE register set)
        public const uint GhcIe = 1u << 1;     // interrupt enable (the HBA's PCI interrupt)
        public const uint Cap2Boh = 1u << 0;   // BIOS/OS handoff supported
        public const uint BohcBos = 1u << 0;   // BIOS owns the HBA
        public const uint BohcOos = 1u << 1;   // OS owns the HBA
        public const uint BohcBb = 1u << 4;    // BIOS busy (finishing outstanding commands)

        public const uint PortBase = 0x100;
        public const uint PortStride = 0x80;
        public const int MaxPorts = 32;

        // Per-port registers (offsets in the port's block).
        public const uint PxClb = 0x00;        // command list base (1 KiB aligned), low/high
        public const uint PxClbu = 0x04;
        public const uint PxFb = 0x08;         // received-FIS base (256 B aligned), low/high
        public const uint PxFbu = 0x0C;
        public const uint PxIs = 0x10;         // interrupt status (write 1 to clear)
        public const uint PxIe = 0x14;         // interrupt enable
        public const uint PxCmd = 0x18;        // command and status
        public const uint PxTfd = 0x20;        // task file data: status (7..0), error (15..8)
        public const uint PxSig = 0x24;        // signature of the attached device
        public const uint PxSsts = 0x28;       // SATA status (link)
        public const uint PxSerr = 0x30;       // SATA error (write 1 to clear)
        public const uint PxCi = 0x38;         // command issue, one bit per command slot

        public const uint CmdSt = 1u << 0;     // start: process the command list
        public const uint CmdFre = 1u << 4;    // FIS receive enable
        public const uint CmdFr = 1u << 14;    // FIS receive running
        public const uint CmdCr = 1u << 15;    // command list running

        public const uint IsDhrs = 1u << 0;    // device-to-host register FIS: a command ended
        public const uint IsTfes = 1u << 30;   // task file error status
        public const uint IsFatalErrors = IsTfes | 1u << 29 | 1u << 28 | 1u << 27; // TFES, HBFS, HBDS, IFS

        public const uint TfdErr = 1u << 0;
        public const uint TfdDrq = 1u << 3;
        public const uint TfdBsy = 1u << 7;

        public const uint SstsDetMask = 0xF;
        public const uint SstsDetPresent = 3;  // device present and PHY communication up
        public const uint SignatureAta = 0x00000101;
        public const uint SignatureAtapi = 0xEB140101;
    }
}
