using Cowbird.Kernel.Boot;
using Cowbird.Mm;

namespace Cowbird.Kernel.Memory
{
    // Fork's shared last-level page tables from the command line (MmSwitch):
    // `mm.shared_pt=0` turns them off, so fork copies every page table entry (for teaching
    // and comparison).
    public static class KernelSharedPageTables
    {
        public const string CommandLineKey = "mm.shared_pt";

        // Applies the command line's choice to `manager`.
        public static void Initialize(CommandLine commandLine, MemoryManager manager)
        {
            if (MmSwitch.TurnedOff(commandLine, CommandLineKey))
                manager.SharePageTables = false;
        }

        // The banner line: "shared page tables: on (fork shares last-level tables;
        // mm.shared_pt=0 turns them off)", or off, with the reason: the command line, or a
        // reverse-mapping design that cannot walk them.
        public static void WriteBannerLine(MemoryManager manager)
        {
            if (!manager.SharePageTables)
                KernelConsole.WriteLine("shared page tables: off (mm.shared_pt=0 on the command line)");
            else if (!manager.Rmap.AllowsSharedTables)
                KernelConsole.WriteLine("shared page tables: off (this rmap design records single PTEs)");
            else
                KernelConsole.WriteLine("shared page tables: on (fork shares last-level tables; mm.shared_pt=0 turns them off)");
        }
    }
}
