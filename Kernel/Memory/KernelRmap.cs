using Cowbird.Kernel.Boot;
using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Memory
{
    // Chooses the kernel's reverse-mapping design from the command line: `rmap=NAME`,
    // NAME one of RmapDesigns.Name (anon_vma_chain, the default, scan, ... object_tree) or its
    // ShortName (anonvma, scan, ptechain, anonvma2004, objtree), and where
    // anonymous page offsets come from: `rmap_offsets=MODE`, MODE one of
    // AnonOffsetModes.Name (linear, the default, or reserve: Jamie Lokier's 2004 offset
    // reservations with mremap groups, only under the anon_vma designs), and whether
    // anon_vma_chain reuses idle ancestor anon_vmas on fork: `rmap_reuse=0` turns Linux's
    // 2015 reuse off, `rmap_reuse=1` keeps the default, on. Runs once, after
    // KernelMemory.Initialize and before the first address space exists
    // (MemoryManager.SetReverseMap and SetAnonOffsets refuse later). An unknown name, or
    // reserve under a design without offsets, keeps the default and says so: a typo on the
    // command line must not stop the boot.
    public static class KernelRmap
    {
        public const string CommandLineKey = "rmap";
        public const string OffsetsKey = "rmap_offsets";
        public const string ReuseKey = "rmap_reuse";

        // The design and the offsets in use, for the boot banner.
        public static RmapDesign Design { get; private set; }
        public static AnonOffsets Offsets { get; private set; }
        // False when rmap_reuse=0 turned anon_vma_chain's reuse of idle ancestors off.
        public static bool Reuse { get; private set; }

        // Installs the design and the offsets the command line names (or the defaults).
        public static void Initialize(CommandLine commandLine, MemoryManager manager)
        {
            InitializeDesign(commandLine, manager);
            InitializeOffsets(commandLine, manager);
            InitializeReuse(commandLine, manager);
        }

        static void InitializeDesign(CommandLine commandLine, MemoryManager manager)
        {
            Design = RmapDesign.AnonVmaChain;
            if (!commandLine.TryGetValue(CommandLineKey, out _, out _))
                return;
            for (int i = 0; i < RmapDesigns.Count; i++)
                if (commandLine.HasValue(CommandLineKey, RmapDesigns.Name((RmapDesign)i))
                    || commandLine.HasValue(CommandLineKey, RmapDesigns.ShortName((RmapDesign)i)))
                {
                    Design = (RmapDesign)i;
                    if (Design != RmapDesign.AnonVmaChain)
                        manager.SetReverseMap(RmapDesigns.Create(Design, manager));
                    return;
                }
            KernelConsole.WriteLine("rmap: unknown design on the command line, using anon_vma_chain");
        }

        static void InitializeOffsets(CommandLine commandLine, MemoryManager manager)
        {
            Offsets = AnonOffsets.Linear;
            if (!commandLine.TryGetValue(OffsetsKey, out _, out _))
                return;
            for (int i = 0; i < AnonOffsetModes.Count; i++)
                if (commandLine.HasValue(OffsetsKey, AnonOffsetModes.Name((AnonOffsets)i)))
                {
                    if (manager.SetAnonOffsets((AnonOffsets)i) == Errno.None)
                        Offsets = (AnonOffsets)i;
                    else
                        KernelConsole.WriteLine("rmap_offsets: this design does not find pages by offset, using linear");
                    return;
                }
            KernelConsole.WriteLine("rmap_offsets: unknown mode on the command line, using linear");
        }

        static void InitializeReuse(CommandLine commandLine, MemoryManager manager)
        {
            Reuse = true;
            if (!commandLine.TryGetValue(ReuseKey, out _, out _) || commandLine.HasValue(ReuseKey, "1"))
                return;
            if (!commandLine.HasValue(ReuseKey, "0"))
            {
                KernelConsole.WriteLine("rmap_reuse: not 0 or 1 on the command line, keeping it on");
                return;
            }
            AnonVmaReverseMap anonVmaChain = manager.Rmap as AnonVmaReverseMap;
            if (anonVmaChain == null)
            {
                KernelConsole.WriteLine("rmap_reuse: only anon_vma_chain reuses anon_vmas, ignored");
                return;
            }
            anonVmaChain.ReuseIdleAncestors = false;
            Reuse = false;
        }

        // The banner line: "rmap: NAME (reverse-mapping design; ...)", with
        // ", offsets reserve" when reservations are on and ", no anon_vma reuse" when
        // rmap_reuse=0 turned the reuse off.
        public static void WriteBannerLine()
        {
            KernelConsole.Write("rmap: ");
            KernelConsole.Write(RmapDesigns.Name(Design));
            if (Offsets != AnonOffsets.Linear)
            {
                KernelConsole.Write(", offsets ");
                KernelConsole.Write(AnonOffsetModes.Name(Offsets));
            }
            if (!Reuse)
                KernelConsole.Write(", no anon_vma reuse");
            KernelConsole.WriteLine(" (reverse-mapping design; rmap=NAME on the command line)");
        }
    }
}
