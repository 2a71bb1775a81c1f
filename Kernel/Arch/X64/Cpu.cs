using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The instructions C# cannot express (port I/O, control registers, descriptor
    // tables, interrupt flag), implemented in Cpu.S as plain SysV functions.
    public static unsafe class Cpu
    {
        [RuntimeImport("cpu_outb")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void OutByte(ushort port, byte value);

        [RuntimeImport("cpu_inb")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern byte InByte(ushort port);

        [RuntimeImport("cpu_inl")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern uint InDword(ushort port);

        // A device register read or write (memory-mapped I/O): exactly one 32-bit access.
        [RuntimeImport("cpu_mmio_read32")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern uint ReadMmio32(uint* address);

        [RuntimeImport("cpu_mmio_write32")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void WriteMmio32(uint* address, uint value);

        [RuntimeImport("cpu_outl")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void OutDword(ushort port, uint value);

        // Reads `count` 16-bit words from `port` into `buffer` (rep insw).
        [RuntimeImport("cpu_in_words")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void InWords(ushort port, ushort* buffer, ulong count);

        // Writes `count` 16-bit words from `buffer` to `port` (rep outsw).
        [RuntimeImport("cpu_out_words")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void OutWords(ushort port, ushort* buffer, ulong count);

        // Reads `count` 32-bit words from `port` into `buffer` (rep insd).
        [RuntimeImport("cpu_in_dwords")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void InDwords(ushort port, uint* buffer, ulong count);

        // Writes `count` 32-bit words from `buffer` to `port` (rep outsd).
        [RuntimeImport("cpu_out_dwords")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void OutDwords(ushort port, uint* buffer, ulong count);

        // Saves the x87, MMX and SSE registers into the 16-byte aligned 512-byte `image`.
        [RuntimeImport("cpu_fxsave")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void FxSave(byte* image);

        // Loads the registers from the 16-byte aligned fxsave `image`, except MXCSR, which
        // keeps the kernel's value.
        [RuntimeImport("cpu_fxrstor_keep_kernel_mxcsr")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void FxRestoreKeepingKernelMxcsr(byte* image);

        // Disables interrupts and returns the previous rflags, for RestoreFlags: a
        // critical section that also works when interrupts were already off.
        [RuntimeImport("cpu_save_flags_disable_interrupts")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong SaveFlagsAndDisableInterrupts();

        // Restores rflags saved by SaveFlagsAndDisableInterrupts (re-enables interrupts only if they were on).
        [RuntimeImport("cpu_restore_flags")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void RestoreFlags(ulong flags);

        // Loads the GDT described by `pointer` and reloads CS and the data segment registers.
        [RuntimeImport("cpu_load_gdt")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void LoadGdt(DescriptorTablePointer* pointer, ushort codeSelector, ushort dataSelector);

        // Loads the task register (the TSS descriptor's selector).
        [RuntimeImport("cpu_load_task_register")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void LoadTaskRegister(ushort selector);

        [RuntimeImport("cpu_load_idt")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void LoadIdt(DescriptorTablePointer* pointer);

        // CR2: the linear address that caused the last page fault.
        [RuntimeImport("cpu_read_cr2")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong ReadCr2();

        // CR0: WP (bit 16) makes ring 0 honour read-only pages; PG turns paging on.
        [RuntimeImport("cpu_read_cr0")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong ReadCr0();

        // CR4: among others SMEP (bit 20) and SMAP (bit 21), see MemoryProtection.
        [RuntimeImport("cpu_read_cr4")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong ReadCr4();

        [RuntimeImport("cpu_write_cr4")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void WriteCr4(ulong value);

        // CR3: physical address of the active PML4 (plus flag bits in the low 12).
        [RuntimeImport("cpu_read_cr3")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong ReadCr3();

        // invlpg: forgets the TLB entry for the page holding `virtualAddress`.
        [RuntimeImport("cpu_invalidate_page")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void InvalidatePage(ulong virtualAddress);

        [RuntimeImport("cpu_enable_interrupts")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void EnableInterrupts();

        [RuntimeImport("cpu_disable_interrupts")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void DisableInterrupts();

        // Enables interrupts and sleeps until the next one has been handled.
        [RuntimeImport("cpu_wait_for_interrupt")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void WaitForInterrupt();

        // The caller's frame pointer (rbp): where a backtrace starts.
        [RuntimeImport("cpu_frame_pointer")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ulong FramePointer();

        // Runs cpuid for `leaf` (sub-leaf 0); registers gets eax, ebx, ecx, edx.
        [RuntimeImport("cpu_cpuid")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void CpuId(uint leaf, uint* registers);

        // One RDRAND (only where CPUID.1:ECX bit 30 says the CPU has it): 1 with *value set,
        // 0 when the CPU had no number ready this time (the caller retries or falls back).
        [RuntimeImport("cpu_rdrand")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int RdRand(ulong* value);

        // Disables interrupts and halts the CPU for good.
        [RuntimeImport("cpu_halt_forever")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void HaltForever();

        private const uint CpuIdExtendedFeatures = 0x80000001;
        private const uint ExtendedFeatureGigabytePages = 1u << 26;   // edx: 1 GiB pages (pdpe1gb)

        // True when the CPU can map 1 GiB pages (PDPT entries with PageSize set).
        public static bool HasGigabytePages()
        {
            uint* registers = stackalloc uint[4];
            CpuId(0x80000000, registers);
            if (registers[0] < CpuIdExtendedFeatures)
                return false;
            CpuId(CpuIdExtendedFeatures, registers);
            return (registers[3] & ExtendedFeatureGigabytePages) != 0;
        }

        private const uint CpuIdFeatures = 1;
        private const uint FeatureTsc = 1u << 4;                    // edx: rdtsc exists
        private const uint FeatureHypervisor = 1u << 31;            // ecx: running under a hypervisor
        private const uint CpuIdAdvancedPowerManagement = 0x80000007;
        private const uint PowerManagementInvariantTsc = 1u << 8;   // edx: the TSC ticks at one rate in every P-, C- and T-state

        // True when the CPU has a time-stamp counter (rdtsc).
        public static bool HasTsc()
        {
            uint* registers = stackalloc uint[4];
            CpuId(CpuIdFeatures, registers);
            return (registers[3] & FeatureTsc) != 0;
        }

        // True when a hypervisor says it is there (CPUID.1:ECX bit 31, which real CPUs leave clear).
        public static bool UnderHypervisor()
        {
            uint* registers = stackalloc uint[4];
            CpuId(CpuIdFeatures, registers);
            return (registers[2] & FeatureHypervisor) != 0;
        }

        // True when the CPU promises an invariant TSC: a constant rate that frequency changes and
        // sleep states do not stop or slow.
        public static bool HasInvariantTsc()
        {
            uint* registers = stackalloc uint[4];
            CpuId(0x80000000, registers);
            if (registers[0] < CpuIdAdvancedPowerManagement)
                return false;
            CpuId(CpuIdAdvancedPowerManagement, registers);
            return (registers[3] & PowerManagementInvariantTsc) != 0;
        }
    }
}
