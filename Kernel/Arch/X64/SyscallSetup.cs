namespace Cowbird.Kernel.Arch.X64
{
    // Programs the `syscall`/`sysret` MSRs (Intel SDM vol. 3, 5.8.8):
    //   EFER.SCE  enables the instructions;
    //   STAR      bits 47..32: kernel CS (SS = +8); bits 63..48: the base sysret
    //             adds to: SS = base + 8, CS = base + 16 (Gdt.cs orders them so);
    //   LSTAR     the 64-bit entry point, syscall_entry;
    //   SFMASK    RFLAGS bits cleared on entry: IF (the kernel runs syscalls with
    //             interrupts off until it sleeps), DF, TF, AC.
    // GS: the kernel's GS base is the per-CPU block; the user's is the running process's
    // (0 unless arch_prctl ARCH_SET_GS set one), which the scheduler puts in KERNEL_GS_BASE;
    // swapgs exchanges GS_BASE and KERNEL_GS_BASE on every ring crossing.
    public static unsafe class SyscallSetup
    {
        private const ulong FlagTrap = 1UL << 8;
        private const ulong FlagInterrupt = 1UL << 9;
        private const ulong FlagDirection = 1UL << 10;
        private const ulong FlagAlignmentCheck = 1UL << 18;

        private static PerCpu s_perCpu;

        public static PerCpu* Block
        {
            get { fixed (PerCpu* block = &s_perCpu) return block; }
        }

        // Once, at boot, in ring 0 with GS pointing nowhere.
        public static void Initialize()
        {
            ulong sysretBase = (ulong)(Gdt.UserDataSelector & ~3) - 8;
            UserModeCpu.WriteMsr(UserModeCpu.MsrEfer, UserModeCpu.ReadMsr(UserModeCpu.MsrEfer) | UserModeCpu.EferSyscallEnable);
            UserModeCpu.WriteMsr(UserModeCpu.MsrStar, ((sysretBase | 3) << 48) | ((ulong)Gdt.KernelCodeSelector << 32));
            UserModeCpu.WriteMsr(UserModeCpu.MsrLstar, UserModeCpu.SyscallEntryAddress());
            UserModeCpu.WriteMsr(UserModeCpu.MsrSfmask, FlagTrap | FlagInterrupt | FlagDirection | FlagAlignmentCheck);
            UserModeCpu.WriteMsr(UserModeCpu.MsrGsBase, (ulong)Block);
            UserModeCpu.WriteMsr(UserModeCpu.MsrKernelGsBase, 0);
        }

        // The running process changed: its kernel stack receives the next syscall
        // (per-CPU block) and the next interrupt from ring 3 (TSS.Rsp0).
        public static void SetKernelStack(ulong top)
        {
            s_perCpu.KernelStackTop = top;
            Gdt.TaskState->Rsp0 = top;
        }
    }
}
