using System.Runtime;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Drivers.Pci;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.SelfTests;
using Cowbird.Kernel.Swap;
using Cowbird.Kernel.Syscalls;
using Cowbird.Kernel.Time;
using Cowbird.Mm.Physical;

namespace Cowbird.Kernel
{
    // The C# entry point. The boot stub (Arch/X64/Boot.S) has set up long mode,
    // the higher-half kernel window, the first 4 GiB of the direct map and the
    // boot stack, and has initialised the runtime (heap, statics).
    public static unsafe class KernelMain
    {
        // kmain(magic, info): `magic` tells which Multiboot protocol loaded us and
        // `infoPhysical` is the physical address of the loader's information.
        [RuntimeExport("kmain")]
        private static void Start(uint magic, ulong infoPhysical)
        {
            SerialPort.Initialize();
            // First, so that any fault from here on is a panic report, not a triple fault.
            Interrupts.Initialize();
            MemoryProtection.Enable();
            BootInfo bootInfo = ReadBootInfo(magic, infoPhysical);
            bool rawConsole = bootInfo.CommandLine.HasValue("console", "raw");
            if (rawConsole)
                KernelConsole.UseLogPort(SerialPort.Com2);
            Screen.Initialize(bootInfo);
            DirectMap.Extend(bootInfo);
            KernelMemory.Initialize(bootInfo);
            ProcessTable.Initialize(KernelMemory.Manager.Stat.TotalFrames);
            OvercommitSysctls.Apply(bootInfo.CommandLine, KernelMemory.Manager.Commit);
            KernelRmap.Initialize(bootInfo.CommandLine, KernelMemory.Manager);
            KernelZeroPage.Initialize(bootInfo.CommandLine, KernelMemory.Manager);
            KernelSharedPageTables.Initialize(bootInfo.CommandLine, KernelMemory.Manager);
            SyscallSetup.Initialize();
            PageFaultHandler.Register();
            UserExceptionHandler.RegisterAll();
            Ia32Syscalls.Register();
            Scheduler.Initialize();
            Clock.Initialize(bootInfo.CommandLine);
            PitTimer.Start();
            ConsoleDevice.Initialize(rawConsole);
            Cpu.EnableInterrupts();
            PrintBanner(bootInfo);
            PciBus.Enumerate();
            KernelSwap.Initialize(KernelMemory.Manager);

            if (bootInfo.CommandLine.TryGetValue(SelfTestRunner.CommandLineKey, out _, out _))
                QemuDebugExit.Exit(SelfTestRunner.Run(bootInfo));
            InitProcess.Run(bootInfo);
            Idle();
        }

        private static BootInfo ReadBootInfo(uint magic, ulong infoPhysical)
        {
            if (magic == Multiboot1.BootloaderMagic)
                return Multiboot1.Parse(infoPhysical);
            if (magic == Multiboot2.BootloaderMagic)
                return Multiboot2.Parse(infoPhysical);
            Panic.Halt("KernelMain.ReadBootInfo: not started by a Multiboot boot loader");
            return null;
        }

        private static void PrintBanner(BootInfo bootInfo)
        {
            KernelConsole.WriteLine("");
            KernelConsole.WriteLine("Cowbird: a teaching kernel in C# (x86-64, higher half)");
            KernelConsole.Write("boot: ");
            KernelConsole.Write(bootInfo.Protocol);
            KernelConsole.Write(", command line \"");
            KernelConsole.WriteAscii(bootInfo.CommandLine.Text, bootInfo.CommandLine.Length);
            KernelConsole.WriteLine("\"");
            KernelConsole.Write("memory: ");
            KernelConsole.WriteDecimal(bootInfo.AvailableMemoryBytes / (1024 * 1024));
            KernelConsole.Write(" MiB available in ");
            KernelConsole.WriteDecimal((ulong)bootInfo.MemoryRegionCount);
            KernelConsole.WriteLine(" memory-map regions");
            KernelConsole.Write("layout: direct map   ");
            KernelConsole.WriteHex(KernelLayout.DirectMapBase);
            KernelConsole.Write(" + physical (");
            KernelConsole.WriteDecimal(KernelLayout.DirectMapSize >> 20);
            KernelConsole.WriteLine(" MiB mapped)");
            KernelConsole.Write("        kernel image ");
            KernelConsole.WriteHex(KernelLayout.KernelVirtualBase + KernelLayout.KernelPhysicalStart);
            KernelConsole.Write(" (window ");
            KernelConsole.WriteHex(KernelLayout.KernelVirtualBase);
            KernelConsole.WriteLine(": 1 GiB)");
            KernelConsole.WriteLine("        low memory   unmapped (no identity map: null dereferences fault)");
            MemoryProtection.WriteBannerLines();
            FrameAllocator frames = KernelMemory.Manager.Frames;
            KernelConsole.Write("frames: ");
            KernelConsole.WriteDecimal(frames.FreeFrames);
            KernelConsole.Write(" free of ");
            KernelConsole.WriteDecimal(frames.TotalFrames);
            KernelConsole.Write(" (4 KiB each; PageFrame descriptor ");
            KernelConsole.WriteDecimal((ulong)FrameAllocator.DescriptorBytesPerFrame);
            KernelConsole.WriteLine(" bytes)");
            KernelConsole.Write("kernel footprint: ");
            KernelConsole.WriteDecimal((KernelMemory.ImageBytes + KernelMemory.DescriptorRegionBytes) >> 10);
            KernelConsole.Write(" KiB (image with its first heap ");
            KernelConsole.WriteDecimal(KernelMemory.ImageBytes >> 10);
            KernelConsole.Write(" KiB, frame descriptors and heap room ");
            KernelConsole.WriteDecimal(KernelMemory.DescriptorRegionBytes >> 10);
            KernelConsole.WriteLine(" KiB); more heap grows on demand");
            KernelRmap.WriteBannerLine();
            KernelZeroPage.WriteBannerLine(KernelMemory.Manager);
            KernelSharedPageTables.WriteBannerLine(KernelMemory.Manager);
            Screen.WriteBannerLine(bootInfo);
            if (bootInfo.InitrdEnd > bootInfo.InitrdStart)
            {
                KernelConsole.Write("initrd: ");
                KernelConsole.WriteDecimal((bootInfo.InitrdEnd - bootInfo.InitrdStart) / 1024);
                KernelConsole.WriteLine(" KiB boot module");
            }
            KernelConsole.Write("timer: PIT at ");
            KernelConsole.WriteDecimal(PitTimer.FrequencyHz);
            KernelConsole.Write(" Hz, ");
            KernelConsole.WriteDecimal(PitTimer.Ticks);
            KernelConsole.WriteLine(" ticks so far");
            Clock.WriteBannerLine();
        }

        // Nothing to run yet: sleep between timer interrupts and show the uptime once a second.
        private static void Idle()
        {
            KernelConsole.WriteLine("Idle: the timer keeps ticking (QEMU: Ctrl-A X to quit).");
            while (true)
            {
                PitTimer.WaitTicks(PitTimer.FrequencyHz);
                ulong ticks = PitTimer.Ticks;
                KernelConsole.Write("\ruptime ");
                KernelConsole.WriteDecimal(ticks / PitTimer.FrequencyHz);
                KernelConsole.Write(" s, ");
                KernelConsole.WriteDecimal(ticks);
                KernelConsole.Write(" timer ticks");
            }
        }
    }
}
