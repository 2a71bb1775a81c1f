using System.Runtime;
using System.Runtime.CompilerServices;
using Cowbird.Runtime.Dispatch;
using Cowbird.Runtime.Heap;

namespace Cowbird.Runtime
{
    // The boot stub calls this once, on the boot stack, before the kernel's entry:
    // it gives the runtime its heap, registers the boot stack as a GC root and
    // initialises the statics of all modules.
    // Until it returns no managed code may allocate or touch a reference static.
    internal static unsafe class RuntimeStartup
    {
        // Boot.S's boot stack: BootStackSize bytes below a 4 KiB-aligned top, and the
        // boot stub calls us near that top (so rounding rsp up finds the top).
        private const ulong BootStackSize = 64 * 1024;
        private const ulong PageSize = 4096;

        [RuntimeImport("cowbird_read_stack_pointer")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern byte* ReadStackPointer();

        [RuntimeExport("cowbird_runtime_init")]
        private static void Initialize(byte* heapStart, byte* heapEnd, void** modulesStart, void** modulesEnd)
        {
            GcHeap.Initialize(heapStart, heapEnd);
            byte* stackTop = (byte*)(((ulong)ReadStackPointer() + PageSize - 1) & ~(PageSize - 1));
            StackRegistry.Register(stackTop - BootStackSize, stackTop);
            Collector.SetModules(modulesStart, modulesEnd);
            InterfaceDispatch.Initialize();
            ModuleInitializer.InitializeModules(modulesStart, modulesEnd);
        }
    }
}
