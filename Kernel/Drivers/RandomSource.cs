using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.Drivers
{
    // Random bytes for getrandom (Linux: drivers/char/random.c). The CPU's RDRAND where
    // CPUID.1:ECX bit 30 announces it; otherwise, or when RDRAND keeps failing, a
    // splitmix64 generator whose state is stirred with the time-stamp counter at every
    // call, so two boots or two calls never repeat a sequence. Not cryptographic without
    // RDRAND, which is all a teaching kernel promises.
    public static unsafe class RandomSource
    {
        private const uint RdRandBit = 1u << 30;
        private const int RdRandRetries = 10;     // Intel's advice for a transient underflow

        private static bool s_probed;
        private static bool s_hasRdRand;
        private static ulong s_state;

        // Fills `buffer` with `length` random bytes.
        public static void Fill(byte* buffer, int length)
        {
            Probe();
            s_state += Tsc.Read();
            int i = 0;
            while (i < length)
            {
                ulong word = NextWord();
                for (int b = 0; b < 8 && i < length; b++, i++)
                    buffer[i] = (byte)(word >> (8 * b));
            }
        }

        // Learns once whether the CPU has RDRAND.
        private static void Probe()
        {
            if (s_probed)
                return;
            uint* registers = stackalloc uint[4];
            Cpu.CpuId(1, registers);
            s_hasRdRand = (registers[2] & RdRandBit) != 0;
            s_state = Tsc.Read();
            s_probed = true;
        }

        // 64 random bits: RDRAND's when it answers within a few tries, else splitmix64's.
        private static ulong NextWord()
        {
            if (s_hasRdRand)
            {
                ulong value;
                for (int attempt = 0; attempt < RdRandRetries; attempt++)
                    if (Cpu.RdRand(&value) != 0)
                        return value;
            }
            return SplitMix();
        }

        // One step of splitmix64 (Steele, Lea and Flood 2014) on s_state.
        private static ulong SplitMix()
        {
            s_state += 0x9E3779B97F4A7C15UL;
            ulong z = s_state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
