using Xunit;

namespace Cowbird.Tests.Boot
{
    // The runtime's in-kernel self-tests (Kernel/SelfTests/Heap*, Dispatch*,
    // Runtime*): one QEMU boot each, passing when the kernel prints
    // "selftest <name>: PASS" and exits with the success status.
    public class RuntimeBootTests
    {
        private static void BootAndExpectPass(string selfTest)
        {
            BootResult result = Qemu.BootKernel("selftest=" + selfTest);
            Assert.False(result.TimedOut, "QEMU timed out. " + result);
            Assert.True(result.ExitCode == KernelExit.Success, $"expected exit status {KernelExit.Success}, got {result}");
            Assert.True(result.Serial.Contains($"selftest {selfTest}: PASS"), $"no PASS line. {result}");
        }

        // Boots a self-test that must end in a panic whose message contains `expected`.
        private static void BootAndExpectPanic(string selfTest, string expected)
        {
            BootResult result = Qemu.BootKernel("selftest=" + selfTest);
            Assert.False(result.TimedOut, "QEMU timed out. " + result);
            Assert.True(result.ExitCode == KernelExit.Panic, $"expected exit status {KernelExit.Panic}, got {result}");
            Assert.True(result.Serial.Contains("PANIC: " + expected), $"serial log lacks \"PANIC: {expected}\". {result}");
        }

        [Fact] public void HeapChurnOfAMillionObjectsLeavesUsageFlat() => BootAndExpectPass("heap-churn");
        [Fact] public void HeapKeepsObjectsReachableFromArraysStacksAndStatics() => BootAndExpectPass("heap-roots");
        [Fact] public void HeapReclaimsLargeObjects() => BootAndExpectPass("heap-large");
        [Fact] public void HeapGrowsByAnAddedRegion() => BootAndExpectPass("heap-grow");
        [Fact] public void HeapGrowsFrameByFrameAndGivesEmptySegmentsBack() => BootAndExpectPass("heap-window");
        [Fact] public void HeapPageMapFindsInteriorPointersAndRejectsTheRest() => BootAndExpectPass("heap-page-map");
        [Fact] public void KernelMmObjectsDoNotLeak() => BootAndExpectPass("heap-kernel-mm");
        [Fact] public void InterfaceDispatchThroughTheResolver() => BootAndExpectPass("dispatch");
        [Fact] public void InterfaceDispatchOfDefaultMethods() => BootAndExpectPass("dispatch-default");
        [Fact] public void InterfaceDispatchOfGenericInterfaces() => BootAndExpectPass("dispatch-generic");
        [Fact] public void CastsArraysAndNullableBoxing() => BootAndExpectPass("runtime-casts");
        [Fact] public void StaticsAndModuleInitialization() => BootAndExpectPass("runtime-statics");
        [Fact] public void Generics() => BootAndExpectPass("runtime-generics");
        [Fact] public void Delegates() => BootAndExpectPass("runtime-delegates");
        [Fact] public void Strings() => BootAndExpectPass("runtime-strings");

        [Fact]
        public void InterfaceCallOnNullPanics() => BootAndExpectPanic("dispatch-null", "interface call on a null reference");

        [Fact]
        public void CheckedOverflowPanics() => BootAndExpectPanic("runtime-overflow", "arithmetic overflow");

        [Fact]
        public void CastThroughGenericVariancePanicsClearly() =>
            BootAndExpectPanic("runtime-variance", "TypeCast: casts through generic variance are not supported");
    }
}
