using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // The kernel patching its own code: W^X maps text read-only and CR0.WP makes
    // ring 0 honour it, so the write is a page fault naming the protection.
    public sealed unsafe class KernelTextWriteSelfTest : PanicSelfTest
    {
        public override string Name => "writetext";

        private const byte Int3 = 0xCC;

        protected override void Trigger(BootInfo bootInfo) => Overwrite((byte*)(delegate*<byte*, void>)&Overwrite);

        // Writes an int3 over the first byte of the code at `code`.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Overwrite(byte* code) => *code = Int3;
    }
}
