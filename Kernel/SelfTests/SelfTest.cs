using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // An in-kernel test selected with `selftest=<Name>` on the kernel command line
    // and run by Tests.Boot under QEMU. Run prints what it checks and returns
    // true on success; a test may also end in a panic when that is what it tests.
    public abstract class SelfTest
    {
        public abstract string Name { get; }

        public abstract bool Run(BootInfo bootInfo);

        // Prints `what` and whether it held; returns `condition` so checks can be combined.
        protected static bool Check(bool condition, string what)
        {
            KernelConsole.Write(condition ? "  ok:   " : "  FAIL: ");
            KernelConsole.WriteLine(what);
            return condition;
        }
    }
}
