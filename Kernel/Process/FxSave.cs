namespace Cowbird.Kernel.Processes
{
    // The 512-byte fxsave image of a process's SSE/x87 registers. A new program starts
    // from the reset values: x87 control word 0x37F, MXCSR 0x1F80 (all exceptions masked).
    public static unsafe class FxSave
    {
        public const ulong AreaSize = 512;
        // MXCSR bits a program may set (flags, masks, rounding, DAZ, FZ); fxrstor faults on
        // the reserved upper half, so a state coming from user memory is cut to these.
        public const uint MxcsrValidBits = 0xFFFF;
        private const int ControlWordOffset = 0;
        private const int MxcsrOffset = 24;

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
    }
}
