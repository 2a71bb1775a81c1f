namespace Cowbird.Kernel.Arch.X64
{
    // The CPU's guards on the kernel's own memory accesses (Intel SDM vol. 3, 4.6):
    //   CR0.WP    ring 0 honours read-only PTEs: the kernel cannot write to its own
    //             text and rodata (W^X, Boot.S) or to a read-only user page.
    //   EFER.NXE  the no-execute PTE bit is honoured: kernel data, stacks and the
    //             direct map cannot be executed (W^X, Boot.S).
    //   CR4.SMEP  ring 0 cannot execute a user page: a kernel jump through a bad
    //             pointer into user memory faults instead of running user-chosen code.
    //   CR4.SMAP  ring 0 cannot read or write a user page while RFLAGS.AC is clear.
    //             The kernel reaches user memory only through UserMemory, which copies
    //             through the direct map, so SMAP fires only on a kernel bug.
    // Boot.S sets WP and NXE before paging is on; Enable adds SMEP and SMAP when
    // CPUID says the CPU has them (QEMU -cpu max and current x86 CPUs do).
    // Invariant: the kernel never runs with RFLAGS.AC set, so SMAP is never lifted:
    // SFMASK clears AC on syscall entry (SyscallSetup.cs), trap_common on a trap
    // from ring 3 (TrapEntry.S), and the kernel itself never sets it.
    public static unsafe class MemoryProtection
    {
        private const ulong Cr0WriteProtect = 1UL << 16;
        private const ulong Cr4Smep = 1UL << 20;
        private const ulong Cr4Smap = 1UL << 21;
        private const ulong EferNoExecuteEnable = 1UL << 11;

        private const uint CpuIdStructuredFeatures = 7;     // leaf 7, sub-leaf 0
        private const uint FeatureSmep = 1u << 7;           // ebx
        private const uint FeatureSmap = 1u << 20;          // ebx

        // True once Enable has switched the protection on (read back from CR4).
        public static bool Smep => (Cpu.ReadCr4() & Cr4Smep) != 0;
        public static bool Smap => (Cpu.ReadCr4() & Cr4Smap) != 0;

        // Set by Boot.S; read back from the registers, so the banner cannot lie.
        public static bool WriteProtect => (Cpu.ReadCr0() & Cr0WriteProtect) != 0;
        public static bool NoExecute => (UserModeCpu.ReadMsr(UserModeCpu.MsrEfer) & EferNoExecuteEnable) != 0;

        // Turns on SMEP and SMAP where the CPU has them. Once, at boot, before any
        // user page exists (so no kernel code can be caught mid-access).
        public static void Enable()
        {
            uint features = StructuredFeaturesEbx();
            ulong cr4 = Cpu.ReadCr4();
            if ((features & FeatureSmep) != 0)
                cr4 |= Cr4Smep;
            if ((features & FeatureSmap) != 0)
                cr4 |= Cr4Smap;
            Cpu.WriteCr4(cr4);
        }

        // The banner lines, e.g.
        //   protection: CR0.WP on, NX on, SMEP on, SMAP on
        //               W^X: text r-x at 0xffffffff80100000, rodata r-- at ..., data rw- at ...
        public static void WriteBannerLines()
        {
            KernelConsole.Write("protection: CR0.WP ");
            KernelConsole.Write(WriteProtect ? "on" : "off");
            KernelConsole.Write(", NX ");
            KernelConsole.Write(NoExecute ? "on" : "off");
            KernelConsole.Write(", SMEP ");
            KernelConsole.Write(Smep ? "on" : "off (not in this CPU)");
            KernelConsole.Write(", SMAP ");
            KernelConsole.WriteLine(Smap ? "on" : "off (not in this CPU)");
            KernelConsole.Write("            W^X: text r-x at ");
            KernelConsole.WriteHex(KernelImage.TextStart);
            KernelConsole.Write(", rodata r-- at ");
            KernelConsole.WriteHex(KernelImage.RodataStart);
            KernelConsole.Write(", data rw- at ");
            KernelConsole.WriteHex(KernelImage.DataStart);
            KernelConsole.Write('\n');
        }

        // CPUID leaf 7's ebx (structured extended features), 0 when the CPU has no leaf 7.
        private static uint StructuredFeaturesEbx()
        {
            uint* registers = stackalloc uint[4];
            Cpu.CpuId(0, registers);
            if (registers[0] < CpuIdStructuredFeatures)
                return 0;
            Cpu.CpuId(CpuIdStructuredFeatures, registers);
            return registers[1];
        }
    }
}
