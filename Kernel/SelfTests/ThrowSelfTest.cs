using System;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // `throw` has no unwinder behind it: it must end in a kernel panic that
    // carries the exception's message (exit status Panic), never return.
    public sealed class ThrowSelfTest : SelfTest
    {
        public override string Name => "throw";

        public override bool Run(BootInfo bootInfo)
        {
            KernelConsole.WriteLine("  throwing; expect a panic next");
            throw new Exception("thrown by ThrowSelfTest");
        }
    }
}
