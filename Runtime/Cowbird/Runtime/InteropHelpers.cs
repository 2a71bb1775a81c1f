using System;
using System.Runtime;

namespace Cowbird.Runtime
{
    // Transitions ILC brackets native calls and [UnmanagedCallersOnly] entries
    // with. They tell a GC when a thread leaves or re-enters managed code; the
    // collector runs only when managed code allocates, on its own stack, so there
    // is nothing to record.
    internal static class InteropHelpers
    {
        [RuntimeExport("RhpPInvoke")]
        private static void RhpPInvoke(IntPtr frame) { }

        [RuntimeExport("RhpPInvokeReturn")]
        private static void RhpPInvokeReturn(IntPtr frame) { }

        [RuntimeExport("RhpReversePInvoke")]
        private static void RhpReversePInvoke(IntPtr frame) { }

        [RuntimeExport("RhpReversePInvokeReturn")]
        private static void RhpReversePInvokeReturn(IntPtr frame) { }
    }
}
