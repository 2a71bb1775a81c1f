using System.Runtime;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel
{
    // Fatal errors: print "PANIC: <message>" on the console, then stop the machine
    // with ExitStatus.Panic. The runtime reaches this through the `kernel_panic`
    // hook (failed casts, range checks, `throw`, ...); kernel code calls Halt.
    public static unsafe class Panic
    {
        // Reports `message` and stops. Never returns.
        public static void Halt(string message)
        {
            fixed (char* chars = message)
                KernelPanic(chars, message.Length, null, 0);
        }

        // The runtime's panic hook. `detail` may be null (detailLength 0).
        [RuntimeExport("kernel_panic")]
        private static void KernelPanic(char* message, int messageLength, char* detail, int detailLength)
        {
            KernelConsole.Write("\nPANIC: ");
            KernelConsole.Write(message, messageLength);
            if (detailLength > 0)
            {
                KernelConsole.Write(": ");
                KernelConsole.Write(detail, detailLength);
            }
            KernelConsole.Write('\n');
            QemuDebugExit.Exit(ExitStatus.Panic);
        }
    }
}
