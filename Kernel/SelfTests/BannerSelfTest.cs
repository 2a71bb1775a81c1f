using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel.SelfTests
{
    // The boot path itself: we got here, the loader's memory map was read,
    // the command line that selected this test was parsed, and the timer ticks.
    public sealed class BannerSelfTest : SelfTest
    {
        public override string Name => "banner";

        public override bool Run(BootInfo bootInfo)
        {
            bool ok = Check(bootInfo.MemoryRegionCount > 0, "the memory map has regions");
            ok &= Check(bootInfo.AvailableMemoryBytes >= 16UL * 1024 * 1024, "at least 16 MiB of RAM is available");
            ok &= Check(bootInfo.CommandLine.HasValue(SelfTestRunner.CommandLineKey, Name), "the command line selects this test");
            ulong before = PitTimer.Ticks;
            PitTimer.WaitTicks(3);
            KernelConsole.Write("  timer: ");
            KernelConsole.WriteDecimal(PitTimer.Ticks);
            KernelConsole.WriteLine(" ticks");
            ok &= Check(PitTimer.Ticks > before, "the timer ticks");
            return ok;
        }
    }
}
