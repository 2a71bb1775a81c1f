using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Generic variance is not supported: a cast that could only succeed through
    // it must stop the kernel with a clear panic, not answer "no".
    public sealed class RuntimeVarianceSelfTest : SelfTest
    {
        public override string Name => "runtime-variance";

        private interface IProducer<out T>
        {
            T Produce();
        }

        private sealed class NameProducer : IProducer<string>
        {
            public string Produce() => "name";
        }

        // Opaque to the compiler, so the casts below happen at run time.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static object MakeProducer() => new NameProducer();

        public override bool Run(BootInfo bootInfo)
        {
            object producer = MakeProducer();
            bool exact = Check(producer is IProducer<string>, "the exact generic interface");
            KernelConsole.WriteLine("  casting to IProducer<object>; expect a panic next");
            bool variant = producer is IProducer<object>;
            return Check(exact && !variant, "a variant cast returned instead of panicking");
        }
    }
}
