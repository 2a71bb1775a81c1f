namespace Cowbird.Tests.Boot
{
    // QEMU's exit statuses for the kernel's ExitStatus values (Kernel/Drivers/QemuDebugExit.cs):
    // isa-debug-exit turns a write of v into host status (v << 1) | 1.
    public static class KernelExit
    {
        public const int Success = (0x10 << 1) | 1;   // 33
        public const int Failure = (0x11 << 1) | 1;   // 35
        public const int Panic = (0x12 << 1) | 1;     // 37
        public const int TooLittleMemory = (0x13 << 1) | 1;   // 39
    }
}
