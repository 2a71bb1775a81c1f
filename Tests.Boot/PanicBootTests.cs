using System.Text.RegularExpressions;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // One boot per kind of panic: the self-test faults on purpose, and the kernel
    // must stop with exit status Panic and a first line
    //   PANIC: <fault> at 0x<rip> in <C# method>+0x<offset>
    // naming the method that faulted (symbolized from the kernel's own symbol table),
    // followed by a backtrace.
    public class PanicBootTests
    {
        private const string Address = "0x[0-9a-f]{16}";

        // Boots `selfTest` and checks the panic line: `fault` (regex) at an address in `method` (C# name).
        private static BootResult AssertPanic(string selfTest, string fault, string method)
        {
            BootResult result = SelfTestBootTests.BootAndExpect(selfTest, KernelExit.Panic, "PANIC: ");
            string pattern = $@"PANIC: {fault} at {Address} in {Regex.Escape(method)}\+0x[0-9a-f]+";
            Assert.True(Regex.IsMatch(result.Serial, pattern), $"no panic line matching {pattern}. {result}");
            Assert.Contains("backtrace", result.Serial);
            return result;
        }

        private const string SelfTests = "Cowbird.Kernel.SelfTests.";

        [Fact]
        public void NullDereferenceIsAPageFaultNamingTheMethod()
        {
            BootResult result = AssertPanic("nullderef", @"page fault \(null dereference\)", SelfTests + "NullDereferenceSelfTest.ReadValue");
            Assert.Matches(@"faulting address 0x0000000000000[0-9a-f]{3}, error code 0x0 \(read, page not present, kernel mode\)", result.Serial);
        }

        [Fact]
        public void DivisionByZeroIsADivideError() =>
            AssertPanic("divzero", "divide error", SelfTests + "DivideByZeroSelfTest.Divide");

        // The fault is in the assembly helper; the panic line also names its C# caller.
        [Fact]
        public void InvalidOpcodeNamesTheHelperAndItsCaller()
        {
            BootResult result = AssertPanic("invalidopcode", "invalid opcode", "selftest_invalid_opcode");
            Assert.Matches(@"selftest_invalid_opcode\+0x0, called from Cowbird\.Kernel\.SelfTests\.PanicSelfTest\.Run\+0x", result.Serial);
        }

        [Fact]
        public void StackOverflowIsCaughtByTheDoubleFaultStack()
        {
            BootResult result = AssertPanic("stackoverflow", @"double fault \(kernel stack overflow: boot stack guard page hit\)", SelfTests + "StackOverflowSelfTest.Recurse");
            Assert.Matches(@"\.\.\. \d+ more frames in the same method", result.Serial);
        }

        [Fact]
        public void NonCanonicalAddressIsAGeneralProtectionFault() =>
            AssertPanic("gpf", "general protection fault", SelfTests + "GeneralProtectionSelfTest.ReadNonCanonical");

        [Fact]
        public void Int3IsAnUnhandledBreakpoint()
        {
            BootResult result = AssertPanic("breakpoint", "breakpoint", "selftest_breakpoint");
            Assert.Contains("called from Cowbird.Kernel.SelfTests.PanicSelfTest.Run", result.Serial);
        }

        [Fact]
        public void UnregisteredVectorIsAnUnexpectedInterrupt() =>
            AssertPanic("vector", "unexpected interrupt vector 0x41", "selftest_unexpected_vector");

        // Before Interrupts.Initialize (e.g. while the runtime starts) traps go to an
        // assembly-only reporter; the self-test switches back to it and runs ud2.
        [Fact]
        public void EarlyFaultIsReportedWithoutTheCSharpDispatcher()
        {
            BootResult result = SelfTestBootTests.BootAndExpect("earlyfault", KernelExit.Panic, "PANIC: early exception");
            Assert.Matches($@"PANIC: early exception \(before Interrupts\.Initialize\), vector 0x0000000000000006 at 0xffffffff8[0-9a-f]{{7}}", result.Serial);
        }

        // W^X, SMEP and SMAP (MemoryProtection.cs): each violation is a page fault on a
        // present page, and the panic line names the protection that stopped it.
        [Fact]
        public void WritingKernelTextIsStoppedByWriteXorExecute()
        {
            BootResult result = AssertPanic("writetext", @"page fault \(write to read-only kernel text: W\^X\)", SelfTests + "KernelTextWriteSelfTest.Overwrite");
            Assert.Matches(@"faulting address 0xffffffff8[0-9a-f]{7}, error code 0x3 \(write, protection violation, kernel mode\)", result.Serial);
        }

        [Fact]
        public void ExecutingKernelDataIsStoppedByWriteXorExecute() =>
            AssertCallPanic("execdata", @"page fault \(execution of no-execute kernel data: W\^X\)");

        [Fact]
        public void ExecutingTheKernelStackIsStoppedByWriteXorExecute() =>
            AssertCallPanic("execstack", @"page fault \(execution of no-execute boot stack: W\^X\)");

        [Fact]
        public void ReadingUserMemoryDirectlyIsStoppedBySmap()
        {
            BootResult result = AssertPanic("smap", @"page fault \(kernel access to user memory: SMAP\)", SelfTests + "SmapSelfTest.ReadDirectly");
            Assert.Matches(@"faulting address 0x00007[0-9a-f]{11}, error code 0x1 \(read, protection violation, kernel mode\)", result.Serial);
        }

        [Fact]
        public void ExecutingUserMemoryIsStoppedBySmep()
        {
            BootResult result = AssertCallPanic("smep", @"page fault \(kernel execution of user memory: SMEP\)");
            Assert.Matches(@"PANIC: [^\n]* at 0x00007[0-9a-f]{11} in \?", result.Serial);
        }

        // A call to memory that must not execute faults on the fetch, before the callee
        // pushes anything: rip has no symbol ("?"), the caller is found at [rsp].
        private static BootResult AssertCallPanic(string selfTest, string fault)
        {
            BootResult result = SelfTestBootTests.BootAndExpect(selfTest, KernelExit.Panic, "PANIC: ");
            string pattern = $@"PANIC: {fault} at {Address} in \?, called from {Regex.Escape(SelfTests)}FaultTriggers\.Call\+0x[0-9a-f]+";
            Assert.True(Regex.IsMatch(result.Serial, pattern), $"no panic line matching {pattern}. {result}");
            Assert.Matches(@"error code 0x11 \(instruction fetch, protection violation, kernel mode\)", result.Serial);
            return result;
        }

        // `throw` reaches the runtime, which panics through kernel_panic: the method
        // named is the first caller outside the runtime.
        [Fact]
        public void ThrowEndsInAPanicNamingTheThrowingMethod() =>
            AssertPanic("throw", "unhandled exception: thrown by ThrowSelfTest", SelfTests + "ThrowSelfTest.Trigger");
    }
}
