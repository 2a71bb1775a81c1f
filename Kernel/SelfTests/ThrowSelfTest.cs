using System;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // `throw` has no unwinder behind it: it must end in a kernel panic that
    // carries the exception's message and names the throwing method.
    public sealed class ThrowSelfTest : PanicSelfTest
    {
        public override string Name => "throw";

        protected override void Trigger(BootInfo bootInfo)
        {
            throw new Exception("thrown by ThrowSelfTest");
        }
    }
}
