using Cowbird.Kernel.Boot;
using Cowbird.Mm;

namespace Cowbird.Kernel.Memory
{
    // The shared zero page from the command line (MmSwitch): `mm.zero_page=0` turns it off
    // (every first touch of private anonymous memory then allocates a frame, as Cowbird
    // did before it had one).
    public static class KernelZeroPage
    {
        public const string CommandLineKey = "mm.zero_page";

        // Applies the command line's choice to `manager`'s zero page.
        public static void Initialize(CommandLine commandLine, MemoryManager manager)
        {
            if (MmSwitch.TurnedOff(commandLine, CommandLineKey))
                manager.ZeroPage.Enabled = false;
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
