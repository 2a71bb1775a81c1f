using Cowbird.Kernel.Boot;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Memory
{
    // vm.overcommit_memory and vm.overcommit_ratio from the kernel command line, in Linux's
    // form for sysctls set at boot: `sysctl.vm.overcommit_memory=2 sysctl.vm.overcommit_ratio=80`.
    // A value the sysctl refuses (not a number, a mode other than 0-2) leaves the default
    // and is named on the log, as Linux does. /proc/sys/vm shows the result (ProcFiles).
    public static class OvercommitSysctls
    {
        public const string ModeKey = "sysctl.vm.overcommit_memory";
        public const string RatioKey = "sysctl.vm.overcommit_ratio";

        // Applies both settings present on `commandLine` to `commit`.
        public static void Apply(CommandLine commandLine, CommitAccounting commit)
        {
            if (commandLine.TryGetValue(ModeKey, out _, out _))
            {
                if (!commandLine.TryGetDecimal(ModeKey, out ulong mode) || commit.SetMode(mode) != Errno.None)
                    Refused(ModeKey);
            }
            if (commandLine.TryGetValue(RatioKey, out _, out _))
            {
                if (!commandLine.TryGetDecimal(RatioKey, out ulong ratio) || commit.SetRatio(ratio) != Errno.None)
                    Refused(RatioKey);
            }
        }

        private static void Refused(string key)
        {
            KernelConsole.Write("Setting sysctl '");
            KernelConsole.Write(key);
            KernelConsole.WriteLine("' failed: invalid value, default kept");
        }
    }
}
