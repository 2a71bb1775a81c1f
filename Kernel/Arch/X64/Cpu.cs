using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Kernel.Arch.X64
{
    // Port I/O and halting: the instructions C# cannot express, implemented in
    // Cpu.S as plain SysV functions.
    public static class Cpu
    {
        [RuntimeImport("cpu_outb")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void OutByte(ushort port, byte value);

        [RuntimeImport("cpu_inb")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern byte InByte(ushort port);

        [RuntimeImport("cpu_outl")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void OutDword(ushort port, uint value);

        // Disables interrupts and halts the CPU for good.
        [RuntimeImport("cpu_halt_forever")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void HaltForever();
    }
}
