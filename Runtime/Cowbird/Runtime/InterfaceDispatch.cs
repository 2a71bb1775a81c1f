using System.Runtime;

namespace Cowbird.Runtime
{
    // Interface calls that ILC cannot devirtualise go through a dispatch cell
    // whose stub starts as RhpInitialDynamicInterfaceDispatch (cell address in r11,
    // `this` in rdi). The resolver that finds the target through the type's
    // dispatch map and patches the cell is not written yet: until it is, such a
    // call stops the kernel with this message instead of jumping to nowhere.
    internal static class InterfaceDispatch
    {
        [RuntimeExport("RhpInitialDynamicInterfaceDispatch")]
        private static void RhpInitialDynamicInterfaceDispatch()
        {
            RuntimePanic.Fail("interface dispatch resolver not implemented");
        }
    }
}
