using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // Statics and module initialisation: a [ModuleInitializer] ran once before
    // the kernel's entry; a static constructor ran once and set reference
    // statics; a preinitialized static object (which ILC may place in frozen
    // data) can be given a heap reference that survives collections.
    public sealed class RuntimeStaticsSelfTest : SelfTest
    {
        public override string Name => "runtime-statics";

        private static int s_moduleInitializerRuns;
        private static string s_moduleInitializerMark;

        [ModuleInitializer]
        internal static void InitializeModule()
        {
            s_moduleInitializerRuns++;
            s_moduleInitializerMark = "initialised";
        }

        private sealed class Holder
        {
            public Payload Item;
        }

        private sealed class Payload
        {
            public long Value;
            public Payload(long value) { Value = value; }
        }

        // No static constructor of its own, so ILC can preinitialize the holder
        // at compile time (as a frozen object in the image's data).
        private static class Preinitialized
        {
            internal static readonly Holder Holder = new Holder();
        }
        private static readonly int[] s_table = { 2, 3, 5, 7, 11 };
        private static readonly Payload s_fromConstructor;
        private static int s_constructorRuns;
        private static Payload s_garbage;

        static RuntimeStaticsSelfTest()
        {
            s_constructorRuns++;
            s_fromConstructor = new Payload(s_table[4] * 100);
        }

        public override bool Run(BootInfo bootInfo)
        {
            bool ok = Check(s_moduleInitializerRuns == 1 && s_moduleInitializerMark == "initialised", "the module initializer ran exactly once");
            ok &= Check(s_constructorRuns == 1 && s_fromConstructor.Value == 1100, "the static constructor ran once and set a reference static");
            ok &= Check(s_table.Length == 5 && s_table[3] == 7, "a preinitialized static array");

            KernelConsole.WriteLine(Gc.IsInHeap(Preinitialized.Holder) ? "  (the static holder is a heap object)" : "  (the static holder is a frozen object)");
            Preinitialized.Holder.Item = new Payload(31337);
            for (int round = 0; round < 2; round++)
            {
                Gc.Collect();
                ulong cells = Gc.GetStatistics().HeapBytes / 32 + 1000;
                for (ulong i = 0; i < cells; i++)
                    s_garbage = new Payload(-1);
            }
            s_garbage = null;
            ok &= Check(Preinitialized.Holder.Item.Value == 31337 && s_fromConstructor.Value == 1100, "objects referenced from statics survive collections");
            return ok;
        }
    }
}
