using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.Fs.Proc
{
    // /proc/cpuinfo: one block for Cowbird's one CPU in the layout of Linux's show_cpuinfo
    // (arch/x86/kernel/cpu/proc.c), each figure read from CPUID or the TSC calibration:
    //   vendor_id, cpu family, model, stepping   CPUID 0 and 1 (family and model with their
    //                                            extended fields, as Linux combines them)
    //   model name                               the brand string, CPUID 0x80000002..4
    //   cpu MHz, bogomips                        the TSC's calibrated rate; bogomips as Linux
    //                                            derives it from the TSC (kHz / 500)
    //   cache size                               the L2 size, CPUID 0x80000006
    //   flags                                    the CPUID feature bits under Linux's names
    //                                            (CpuFlagNames); Linux also shows flags of its
    //                                            own (constant_tsc, rep_good, ...): not here
    //   address sizes, clflush size              CPUID 0x80000008 and 1
    //   power management                         CPUID 0x80000007 EDX, "[n]" for unnamed bits
    // Not shown: microcode (its revision is in an MSR Cowbird does not read), and bugs is
    // empty (Cowbird checks the CPU for none of the vulnerabilities Linux lists there).
    public static unsafe class CpuInfoText
    {
        private const uint BasicLeaves = 0, Features = 1, StructuredFeatures = 7, ExtendedLeaves = 0x80000000,
            ExtendedFeatures = 0x80000001, BrandFirst = 0x80000002, L2Cache = 0x80000006, PowerManagement = 0x80000007,
            AddressSizes = 0x80000008;

        // Writes the file.
        public static void Write(TextBuilder text)
        {
            uint* r = stackalloc uint[4];
            Cpu.CpuId(BasicLeaves, r);
            uint maxBasic = r[0];
            uint vendorB = r[1], vendorD = r[3], vendorC = r[2];
            Cpu.CpuId(ExtendedLeaves, r);
            uint maxExtended = r[0];
            Cpu.CpuId(Features, r);
            uint signature = r[0], misc = r[1], featuresC = r[2], featuresD = r[3];

            text.Append("processor\t: 0\nvendor_id\t: ");
            AppendRegisterText(text, vendorB);
            AppendRegisterText(text, vendorD);
            AppendRegisterText(text, vendorC);
            uint family = (signature >> 8) & 0xF, model = (signature >> 4) & 0xF;
            if (family == 0xF)
                family += (signature >> 20) & 0xFF;
            if (family >= 6)
                model |= ((signature >> 16) & 0xF) << 4;
            Line(text, "\ncpu family\t: ", family);
            Line(text, "\nmodel\t\t: ", model);
            text.Append("\nmodel name\t: ");
            AppendBrand(text, maxExtended);
            Line(text, "\nstepping\t: ", signature & 0xF);
            ulong khz = Tsc.Hertz / 1000;
            Line(text, "\ncpu MHz\t\t: ", khz / 1000);
            text.Append((byte)'.');
            AppendPadded(text, khz % 1000, 3);
            if (maxExtended >= L2Cache)
            {
                Cpu.CpuId(L2Cache, r);
                Line(text, "\ncache size\t: ", r[2] >> 16);
                text.Append(" KB");
            }
            ulong apic = misc >> 24;
            text.Append("\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1");
            Line(text, "\napicid\t\t: ", apic);
            Line(text, "\ninitial apicid\t: ", apic);
            text.Append("\nfpu\t\t: yes\nfpu_exception\t: yes");
            Line(text, "\ncpuid level\t: ", maxBasic);
            text.Append("\nwp\t\t: yes\nflags\t\t:");
            AppendFlags(text, featuresC, featuresD, maxBasic, maxExtended, r);
            text.Append("\nbugs\t\t:");
            Line(text, "\nbogomips\t: ", khz / 500);
            text.Append((byte)'.');
            AppendPadded(text, khz / 5 % 100, 2);
            ulong clflush = ((misc >> 8) & 0xFF) * 8;
            Line(text, "\nclflush size\t: ", clflush);
            Line(text, "\ncache_alignment\t: ", clflush);
            if (maxExtended >= AddressSizes)
            {
                Cpu.CpuId(AddressSizes, r);
                Line(text, "\naddress sizes\t: ", r[0] & 0xFF);
                Line(text, " bits physical, ", (r[0] >> 8) & 0xFF);
                text.Append(" bits virtual");
            }
            text.Append("\npower management:");
            if (maxExtended >= PowerManagement)
            {
                Cpu.CpuId(PowerManagement, r);
                AppendNames(text, r[3], CpuFlagNames.PowerManagement, true);
            }
            text.Append("\n\n");
        }

        // The feature words Linux prints, in its order: 1:EDX, 0x80000001:EDX, 1:ECX,
        // 0x80000001:ECX, 7:EBX, 7:ECX, 7:EDX.
        private static void AppendFlags(TextBuilder text, uint featuresC, uint featuresD, uint maxBasic, uint maxExtended, uint* r)
        {
            AppendNames(text, featuresD, CpuFlagNames.Leaf1Edx, false);
            uint extendedC = 0, extendedD = 0;
            if (maxExtended >= ExtendedFeatures)
            {
                Cpu.CpuId(ExtendedFeatures, r);
                extendedC = r[2];
                extendedD = r[3];
            }
            AppendNames(text, extendedD, CpuFlagNames.Extended1Edx, false);
            AppendNames(text, featuresC, CpuFlagNames.Leaf1Ecx, false);
            AppendNames(text, extendedC, CpuFlagNames.Extended1Ecx, false);
            if (maxBasic >= StructuredFeatures)
            {
                Cpu.CpuId(StructuredFeatures, r);
                AppendNames(text, r[1], CpuFlagNames.Leaf7Ebx, false);
                AppendNames(text, r[2], CpuFlagNames.Leaf7Ecx, false);
                AppendNames(text, r[3], CpuFlagNames.Leaf7Edx, false);
            }
        }

        // " name" for each set bit of `bits` that `names` names; an unnamed set bit is " [n]"
        // when `numberUnnamed`, else left out.
        private static void AppendNames(TextBuilder text, uint bits, string[] names, bool numberUnnamed)
        {
            for (int bit = 0; bit < 32; bit++)
            {
                if ((bits & (1u << bit)) == 0)
                    continue;
                string name = bit < names.Length ? names[bit] : null;
                if (name != null && name.Length > 0)
                {
                    text.Append((byte)' ');
                    text.Append(name);
                }
                else if (numberUnnamed)
                {
                    text.Append(" [");
                    text.AppendDecimal((ulong)bit, 0);
                    text.Append((byte)']');
                }
            }
        }

        // The brand string, without the spaces some CPUs pad it with; "unknown" without one.
        private static void AppendBrand(TextBuilder text, uint maxExtended)
        {
            if (maxExtended < BrandFirst + 2)
            {
                text.Append("unknown");
                return;
            }
            byte* brand = stackalloc byte[49];
            uint* r = stackalloc uint[4];
            for (uint i = 0; i < 3; i++)
            {
                Cpu.CpuId(BrandFirst + i, r);
                for (int b = 0; b < 16; b++)
                    brand[i * 16 + b] = (byte)(r[b / 4] >> (8 * (b % 4)));
            }
            brand[48] = 0;
            int start = 0, end = 0;
            while (start < 48 && brand[start] == ' ')
                start++;
            while (end < 48 && brand[end] != 0)
                end++;
            while (end > start && brand[end - 1] == ' ')
                end--;
            for (int i = start; i < end; i++)
                text.Append(brand[i]);
        }

        // The four ASCII bytes of a register, low byte first (the vendor string).
        private static void AppendRegisterText(TextBuilder text, uint value)
        {
            for (int i = 0; i < 4; i++)
                text.Append((byte)(value >> (8 * i)));
        }

        private static void Line(TextBuilder text, string label, ulong value)
        {
            text.Append(label);
            text.AppendDecimal(value, 0);
        }

        // `value` in decimal with leading zeros to `digits` digits.
        private static void AppendPadded(TextBuilder text, ulong value, int digits)
        {
            ulong limit = 1;
            for (int i = 1; i < digits; i++)
                limit *= 10;
            for (; limit > 1 && value < limit; limit /= 10)
                text.Append((byte)'0');
            text.AppendDecimal(value, 0);
        }
    }
}
