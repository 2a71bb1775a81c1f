using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Runtime
{
    // When a runtime check fails, the runtime hands a message to the kernel's
    // `kernel_panic` hook, which reports it and stops the machine. Besides this
    // hook the runtime calls the kernel only through `kernel_heap_grow` and
    // `kernel_heap_release` (Heap/GcHeap.cs); it knows nothing else about the kernel.
    public static unsafe class RuntimePanic
    {
        [RuntimeImport("kernel_panic")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void KernelPanic(char* message, int messageLength, char* detail, int detailLength);

        // Stops the kernel with `message` (and an optional `detail`, may be null). Never returns.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Fail(string message, string detail = null)
        {
            int detailLength = (object)detail == null ? 0 : detail.Length;
            fixed (char* m = message)
            fixed (char* d = detail)
                KernelPanic(m, message.Length, d, detailLength);
            while (true) { }
        }
    }
}
