using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Processes
{
    // The 512-byte fxsave image of a process's SSE/x87 registers, just below its TrapFrame
    // (Process.FxSaveArea). A new program starts from the reset values: x87 control word
    // 0x37F, MXCSR 0x1F80 (all exceptions masked).
    //
    // Who keeps which part (Linux saves the FPU only when tasks switch, because its kernel
    // never touches it; Cowbird's C# kernel uses the xmm registers, but never x87 or MMX):
    //   - SSE (MXCSR, xmm0..15): every trap and system call from ring 3 saves them into the
    //     image on entry and loads them on the way out (SAVE_SSE in TrapFrame.inc), with
    //     plain moves: fxsave and fxrstor on every trap were a third of a page fault's cost.
    //   - x87 and MMX (bytes 0..23 and 32..159): they stay in the CPU while the process runs
    //     or is in the kernel. The scheduler writes them into the image when the process is
    //     switched out (SaveX87) and loads them when it is switched back in (LoadX87).
    //   - Code that reads or replaces the whole image of the running process (a signal
    //     frame, sigreturn, exec, fork) calls SaveX87 before reading it and LoadX87 after
    //     replacing it, so the image and the CPU agree.
    // A process's first run (process_first_run) loads the whole image.
    public static unsafe class FxSave
    {
        public const ulong AreaSize = 512;
        // MXCSR bits a program may set (flags, masks, rounding, DAZ, FZ); fxrstor faults on
        // the reserved upper half, so a state coming from user memory is cut to these.
        public const uint MxcsrValidBits = 0xFFFF;
        private const int ControlWordOffset = 0;
        private const int MxcsrOffset = 24;
        // The x87/MMX part of the image: control, status, tag, opcode and pointers before
        // MXCSR, then ST0..ST7 (MM0..MM7) up to the first xmm register.
        private const int X87HeaderEnd = MxcsrOffset;
        private const int X87RegistersStart = 32, X87RegistersEnd = 160;

        public static void Reset(byte* area)
        {
            for (ulong i = 0; i < AreaSize; i++)
                area[i] = 0;
            *(ushort*)(area + ControlWordOffset) = 0x037F;
            *(uint*)(area + MxcsrOffset) = 0x1F80;
        }

        public static void Copy(byte* destination, byte* source)
        {
            for (ulong i = 0; i < AreaSize; i++)
                destination[i] = source[i];
        }

        // Writes the CPU's x87/MMX registers, which belong to the process now running, into
        // its `image`, leaving the image's SSE part (the program's, from its last trap) as it is.
        public static void SaveX87(byte* image)
        {
            byte* buffer = stackalloc byte[(int)AreaSize + 15];
            byte* live = (byte*)(((ulong)buffer + 15) & ~15UL);
            Cpu.FxSave(live);
            for (int i = 0; i < X87HeaderEnd; i++)
                image[i] = live[i];
            for (int i = X87RegistersStart; i < X87RegistersEnd; i++)
                image[i] = live[i];
        }

        // Loads the x87/MMX registers from the running process's `image` into the CPU. The
        // xmm registers are loaded too, which costs nothing: the way back to ring 3 loads
        // them from the image again.
        public static void LoadX87(byte* image)
        {
            Cpu.FxRestoreKeepingKernelMxcsr(image);
        }
    }
}
