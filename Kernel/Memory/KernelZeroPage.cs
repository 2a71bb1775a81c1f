using Cowbird.Kernel.Boot;
using Cowbird.Mm;

namespace Cowbird.Kernel.Memory
{
    // The shared zero page from the command line: `mm.zero_page=0` turns it off (every
    // first touch of private anonymous memory then allocates a frame, as Cowbird did
    // before it had one), `mm.zero_page=1` keeps the default, on. Any other value keeps
    // the default and says so: a typo on the command line must not stop the boot.
    public static class KernelZeroPage
    {
        public const string CommandLineKey = "mm.zero_page";

        // Applies the command line's choice to `manager`'s zero page.
        public static void Initialize(CommandLine commandLine, MemoryManager manager)
        {
            if (!commandLine.TryGetValue(CommandLineKey, out _, out _))
                return;
            if (commandLine.HasValue(CommandLineKey, "0"))
                manager.ZeroPage.Enabled = false;
            else if (!commandLine.HasValue(CommandLineKey, "1"))
                KernelConsole.WriteLine("mm.zero_page: not 0 or 1 on the command line, keeping it on");
        }

        // The banner line: "zero page: on (frame N; mm.zero_page=0 turns it off)" or
        // "zero page: off (mm.zero_page=0 on the command line)".
        public static void WriteBannerLine(MemoryManager manager)
        {
            if (!manager.ZeroPage.Enabled)
            {
                KernelConsole.WriteLine("zero page: off (mm.zero_page=0 on the command line)");
                return;
            }
            KernelConsole.Write("zero page: on (frame ");
            KernelConsole.WriteDecimal(manager.ZeroPage.Pfn);
            KernelConsole.WriteLine("; mm.zero_page=0 turns it off)");
        }
    }
}
