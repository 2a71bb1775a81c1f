using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // An interface call on a null reference must stop the kernel with a clear
    // panic from the dispatch stub, not jump through garbage.
    public sealed class DispatchNullSelfTest : SelfTest
    {
        public override string Name => "dispatch-null";

        private interface IPort
        {
            int Number();
        }

        private sealed class Com1 : IPort { public int Number() => 1; }
        private sealed class Com2 : IPort { public int Number() => 2; }
        private sealed class Com3 : IPort { public int Number() => 3; }
        private sealed class Com4 : IPort { public int Number() => 4; }
        private sealed class Lpt1 : IPort { public int Number() => 5; }

        private static readonly IPort[] Ports = { new Com1(), new Com2(), new Com3(), new Com4(), new Lpt1(), null };

        // Opaque to the compiler, so the call below stays an interface call through its cell.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int NumberOf(IPort port) => port.Number();

        public override bool Run(BootInfo bootInfo)
        {
            int sum = 0;
            for (int i = 0; i < Ports.Length - 1; i++)
                sum += NumberOf(Ports[i]);
            bool ok = Check(sum == 15, "calls through the cell before the null one");
            KernelConsole.WriteLine("  calling through a null reference; expect a panic next");
            sum += NumberOf(Ports[Ports.Length - 1]);
            return Check(false, "the call on null returned") && ok;
        }
    }
}
