using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Reading a non-canonical address (bits 63..48 not copies of bit 47): #GP.
    public sealed class GeneralProtectionSelfTest : PanicSelfTest
    {
        public override string Name => "gpf";

        private const ulong NonCanonicalAddress = 0x8000_0000_0000_0000;

        protected override void Trigger(BootInfo bootInfo) => ReadNonCanonical(NonCanonicalAddress);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static unsafe ulong ReadNonCanonical(ulong address) => *(ulong*)address;
    }
}
