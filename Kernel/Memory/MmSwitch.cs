using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.Memory
{
    // An on/off `mm.` option of the kernel command line (mm.zero_page, mm.shared_pt):
    // `KEY=0` turns the feature off, `KEY=1` keeps the default, on. Any other value keeps
    // the default and says so: a typo on the command line must not stop the boot.
    public static class MmSwitch
    {
        // True when the command line turns `key` off.
        public static bool TurnedOff(CommandLine commandLine, string key)
        {
            if (!commandLine.TryGetValue(key, out _, out _))
                return false;
            if (commandLine.HasValue(key, "0"))
                return true;
            if (!commandLine.HasValue(key, "1"))
            {
                KernelConsole.Write(key);
                KernelConsole.WriteLine(": not 0 or 1 on the command line, keeping it on");
            }
            return false;
        }
    }
}
