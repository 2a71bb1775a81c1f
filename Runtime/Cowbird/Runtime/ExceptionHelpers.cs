using System;
using System.Runtime;

namespace Cowbird.Runtime
{
    // `throw` compiles to a call to RhpThrowEx. The kernel has no unwinder, so
    // every throw is fatal: it becomes a panic carrying the exception's message.
    internal static class ExceptionHelpers
    {
        [RuntimeExport("RhpThrowEx")]
        private static void RhpThrowEx(Exception exception)
        {
            RuntimePanic.Fail("unhandled exception", (object)exception == null ? null : exception.Message);
        }

        [RuntimeExport("RhpRethrow")]
        private static void RhpRethrow()
        {
            RuntimePanic.Fail("unhandled exception (rethrow)");
        }

        [RuntimeExport("RhpFallbackFailFast")]
        private static void RhpFallbackFailFast()
        {
            RuntimePanic.Fail("fail fast");
        }
    }
}
