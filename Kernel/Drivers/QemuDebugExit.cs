using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers
{
    // Status codes the kernel reports to the machine running it. Under QEMU with
    // `-device isa-debug-exit,iobase=0xf4,iosize=0x04`, writing v to the port
    // ends QEMU with host exit status (v << 1) | 1: Success -> 33, Failure -> 35,
    // Panic -> 37, TooLittleMemory -> 39. Tests.Boot checks these.
    public enum ExitStatus : uint
    {
        Success = 0x10,
        Failure = 0x11,
        Panic = 0x12,
        TooLittleMemory = 0x13,     // less RAM than KernelMemory.MinimumRamMiB
    }

    // QEMU's isa-debug-exit device: lets the kernel end the emulator with a status.
    public static class QemuDebugExit
    {
        private const ushort Port = 0xF4;

        // Ends QEMU with `status`. On a machine without the device the write is
        // ignored, so the CPU is halted instead.
        public static void Exit(ExitStatus status)
        {
            Cpu.OutDword(Port, (uint)status);
            Cpu.HaltForever();
        }
    }
}
