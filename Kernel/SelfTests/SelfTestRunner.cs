using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel.SelfTests
{
    // Finds the self-test named by `selftest=` on the command line, runs it and
    // turns its result into the exit status Tests.Boot reads.
    // To add a test: write a SelfTest subclass and list it in All.
    public static class SelfTestRunner
    {
        public const string CommandLineKey = "selftest";

        private static readonly SelfTest[] All =
        {
            new BannerSelfTest(),
            new RuntimeSelfTest(),
            new InterruptsSelfTest(),
            new DirectMapSelfTest(),
            new NullDereferenceSelfTest(),
            new DivideByZeroSelfTest(),
            new InvalidOpcodeSelfTest(),
            new StackOverflowSelfTest(),
            new GeneralProtectionSelfTest(),
            new BreakpointSelfTest(),
            new UnexpectedVectorSelfTest(),
            new ThrowSelfTest(),
            new EarlyFaultSelfTest(),
            new KernelTextWriteSelfTest(),
            new DataExecuteSelfTest(),
            new StackExecuteSelfTest(),
            new SmapSelfTest(),
            new SmepSelfTest(),
            new HeapChurnSelfTest(),
            new HeapRootsSelfTest(),
            new HeapLargeObjectSelfTest(),
            new HeapGrowSelfTest(),
            new HeapWindowSelfTest(),
            new HeapKernelMmSelfTest(),
            new HeapPageMapSelfTest(),
            new KernelStacksSelfTest(),
            new GcBenchSelfTest(),
            new DispatchSelfTest(),
            new DispatchDefaultMethodSelfTest(),
            new DispatchGenericSelfTest(),
            new DispatchNullSelfTest(),
            new RuntimeCastSelfTest(),
            new RuntimeVarianceSelfTest(),
            new RuntimeOverflowSelfTest(),
            new RuntimeStaticsSelfTest(),
            new RuntimeGenericsSelfTest(),
            new RuntimeDelegateSelfTest(),
            new RuntimeStringSelfTest(),
            new AtaIoSelfTest(),
            new AtaSwapSelfTest(),
            new AtaErrorSelfTest(),
        };

        public static ExitStatus Run(BootInfo bootInfo)
        {
            for (int i = 0; i < All.Length; i++)
            {
                SelfTest test = All[i];
                if (!bootInfo.CommandLine.HasValue(CommandLineKey, test.Name))
                    continue;
                KernelConsole.Write("selftest ");
                KernelConsole.Write(test.Name);
                KernelConsole.WriteLine(": start");
                bool passed = test.Run(bootInfo);
                KernelConsole.Write("selftest ");
                KernelConsole.Write(test.Name);
                KernelConsole.WriteLine(passed ? ": PASS" : ": FAIL");
                return passed ? ExitStatus.Success : ExitStatus.Failure;
            }
            KernelConsole.WriteLine("selftest: no self-test has that name");
            return ExitStatus.Failure;
        }
    }
}
