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
        // [stackBottom, stackTop) is the boot stack the stub is running on; the stub
        // owns its size.
        [RuntimeExport("cowbird_runtime_init")]
        private static void Initialize(byte* heapStart, byte* heapEnd, void** modulesStart, void** modulesEnd,
                                       byte* stackBottom, byte* stackTop)
        {
            GcHeap.Initialize(heapStart, heapEnd);
            StackRegistry.Register(stackBottom, stackTop);
            Collector.SetModules(modulesStart, modulesEnd);
            InterfaceDispatch.Initialize();
            ModuleInitializer.InitializeModules(modulesStart, modulesEnd);
        }
    }
}
