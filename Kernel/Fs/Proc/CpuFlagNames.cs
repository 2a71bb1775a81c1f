namespace Cowbird.Kernel.Fs.Proc
{
    // The names /proc/cpuinfo gives CPUID's feature bits, by register and bit, as Linux's
    // arch/x86/include/asm/cpufeatures.h spells them ("" where Linux shows no name, for
    // example the bits of 0x80000001:EDX that repeat 1:EDX's).
    public static class CpuFlagNames
    {
        public static readonly string[] Leaf1Edx =
        {
            "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "", "sep", "mtrr", "pge", "mca", "cmov",
            "pat", "pse36", "pn", "clflush", "", "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
        };

        public static readonly string[] Extended1Edx =
        {
            "", "", "", "", "", "", "", "", "", "", "", "syscall", "", "", "", "",
            "", "", "", "mp", "nx", "", "mmxext", "", "", "fxsr_opt", "pdpe1gb", "rdtscp", "", "lm", "3dnowext", "3dnow",
        };

        public static readonly string[] Leaf1Ecx =
        {
            "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm",
            "", "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", "", "avx", "f16c", "rdrand", "hypervisor",
        };

        public static readonly string[] Extended1Ecx =
        {
            "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", "", "lwp",
            "fma4", "tce", "", "nodeid_msr", "", "tbm", "topoext", "perfctr_core", "perfctr_nb", "", "bpext", "ptsc", "perfctr_llc", "mwaitx", "", "",
        };

        public static readonly string[] Leaf7Ebx =
        {
            "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", "", "smep", "bmi2", "erms", "invpcid", "rtm", "cqm", "", "mpx", "rdt_a",
            "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma", "", "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw", "avx512vl",
        };

        public static readonly string[] Leaf7Ecx =
        {
            "", "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2", "", "gfni", "vaes", "vpclmulqdq", "avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq", "",
            "la57", "", "", "", "", "", "rdpid", "", "bus_lock_detect", "cldemote", "", "movdiri", "movdir64b", "enqcmd", "sgx_lc", "",
        };

        public static readonly string[] Leaf7Edx =
        {
            "", "", "avx512_4vnniw", "avx512_4fmaps", "fsrm", "", "", "", "avx512_vp2intersect", "", "md_clear", "", "", "", "serialize", "",
            "tsxldtrk", "", "pconfig", "arch_lbr", "ibt", "", "amx_bf16", "avx512_fp16", "amx_tile", "amx_int8", "", "", "flush_l1d", "arch_capabilities", "", "",
        };

        // 0x80000007:EDX, Linux's x86_power_flags ("" bits show as "[n]").
        public static readonly string[] PowerManagement =
        {
            "ts", "fid", "vid", "ttp", "tm", "stc", "100mhzsteps", "hwpstate", "", "cpb", "eff_freq_ro", "proc_feedback", "acc_power",
        };
    }
}
