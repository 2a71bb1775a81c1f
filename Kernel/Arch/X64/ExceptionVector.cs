namespace Cowbird.Kernel.Arch.X64
{
    // The CPU's exception vectors 0..31 (Intel SDM vol. 3, section 6.15) and
    // their names as panics print them.
    public static class ExceptionVector
    {
        public const int DivideError = 0;
        public const int Debug = 1;
        public const int NonMaskableInterrupt = 2;
        public const int Breakpoint = 3;
        public const int Overflow = 4;
        public const int InvalidOpcode = 6;
        public const int DoubleFault = 8;
        public const int GeneralProtection = 13;
        public const int PageFault = 14;
        public const int MachineCheck = 18;

        // Vectors 0..31 are reserved for exceptions; IRQs and software vectors come after.
        public const int Count = 32;

        // The name of exception `vector`, or null for vectors above 31.
        public static string Name(ulong vector)
        {
            switch (vector)
            {
                case 0: return "divide error";
                case 1: return "debug exception";
                case 2: return "non-maskable interrupt";
                case 3: return "breakpoint";
                case 4: return "overflow";
                case 5: return "bound range exceeded";
                case 6: return "invalid opcode";
                case 7: return "device not available";
                case 8: return "double fault";
                case 9: return "coprocessor segment overrun";
                case 10: return "invalid TSS";
                case 11: return "segment not present";
                case 12: return "stack-segment fault";
                case 13: return "general protection fault";
                case 14: return "page fault";
                case 16: return "x87 floating-point exception";
                case 17: return "alignment check";
                case 18: return "machine check";
                case 19: return "SIMD floating-point exception";
                case 20: return "virtualization exception";
                case 21: return "control protection exception";
                case 28: return "hypervisor injection exception";
                case 29: return "VMM communication exception";
                case 30: return "security exception";
                default: return vector < Count ? "reserved exception" : null;
            }
        }
    }
}
