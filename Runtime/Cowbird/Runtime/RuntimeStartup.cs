using System.Runtime;

namespace Cowbird.Runtime
{
    // The boot stub calls this once, on the boot stack, before the kernel's entry:
    // it gives the runtime its heap and initialises the statics of all modules.
    // Until it returns no managed code may allocate or touch a reference static.
    internal static unsafe class RuntimeStartup
    {
        [RuntimeExport("cowbird_runtime_init")]
        private static void Initialize(byte* heapStart, byte* heapEnd, void** modulesStart, void** modulesEnd)
        {
            BumpHeap.Initialize(heapStart, heapEnd);
            ModuleInitializer.InitializeModules(modulesStart, modulesEnd);
        }
    }
}
