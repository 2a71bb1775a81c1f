using Cowbird.Kernel.Boot;
using Cowbird.Mm;
using Cowbird.Mm.Rmap;

namespace Cowbird.Kernel.Memory
{
    // Chooses the kernel's reverse-mapping design from the command line: `rmap=NAME`,
    // NAME one of RmapDesigns.Name (anon_vma_chain, the default, scan, ... object_tree). Runs
    // once, after KernelMemory.Initialize and before the first address space exists
    // (MemoryManager.SetReverseMap refuses later). An unknown name keeps the default and
    // says so: a typo on the command line must not stop the boot.
    public static class KernelRmap
    {
        public const string CommandLineKey = "rmap";

        // The design in use, for the boot banner.
        public static RmapDesign Design { get; private set; }

        // Installs the design the command line names (or the default).
        public static void Initialize(CommandLine commandLine, MemoryManager manager)
        {
            Design = RmapDesign.AnonVmaChain;
            if (!commandLine.TryGetValue(CommandLineKey, out _, out _))
                return;
            for (int i = 0; i < RmapDesigns.Count; i++)
                if (commandLine.HasValue(CommandLineKey, RmapDesigns.Name((RmapDesign)i)))
                {
                    Design = (RmapDesign)i;
                    if (Design != RmapDesign.AnonVmaChain)
                        manager.SetReverseMap(RmapDesigns.Create(Design, manager));
                    return;
                }
            KernelConsole.WriteLine("rmap: unknown design on the command line, using anon_vma_chain");
        }

        // The banner line: "rmap: NAME (reverse-mapping design)".
        public static void WriteBannerLine()
        {
            KernelConsole.Write("rmap: ");
            KernelConsole.Write(RmapDesigns.Name(Design));
            KernelConsole.WriteLine(" (reverse-mapping design; rmap=NAME on the command line)");
        }
    }
}
