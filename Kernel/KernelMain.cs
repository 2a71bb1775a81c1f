using System.Runtime;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.SelfTests;

namespace Cowbird.Kernel
{
    // The C# entry point. The boot stub (Arch/X64/Boot.S) has set up long mode,
    // the higher-half mapping and the boot stack, and has initialised the
    // runtime (heap, statics) before calling here.
    public static unsafe class KernelMain
    {
        // kmain(magic, info): `magic` tells which Multiboot protocol loaded us and
        // `infoPhysical` is the physical address of the loader's information.
        [RuntimeExport("kmain")]
        private static void Start(uint magic, ulong infoPhysical)
        {
            SerialPort.Initialize();
            BootInfo bootInfo = ReadBootInfo(magic, infoPhysical);
            PrintBanner(bootInfo);

            if (bootInfo.CommandLine.TryGetValue(SelfTestRunner.CommandLineKey, out _, out _))
                QemuDebugExit.Exit(SelfTestRunner.Run(bootInfo));

            KernelConsole.WriteLine("Nothing more to do yet: halted (QEMU: Ctrl-A X to quit).");
            Cpu.HaltForever();
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
            KernelConsole.Write("kernel: linked at ");
            KernelConsole.WriteHex(KernelLayout.KernelVirtualBase + KernelLayout.KernelPhysicalStart);
            KernelConsole.WriteLine("");
        }
    }
}
