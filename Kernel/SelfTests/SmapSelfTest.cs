using System.Runtime.CompilerServices;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Reading user memory directly from kernel mode, bypassing UserMemory: with SMAP
    // on this faults although the page is present and readable, and the report
    // names SMAP.
    public sealed unsafe class SmapSelfTest : PanicSelfTest
    {
        public override string Name => "smap";

        protected override void Trigger(BootInfo bootInfo)
        {
            if (!Check(MemoryProtection.Smap, "SMAP is on"))
                return;
            ulong page = UserTestPage.Map(0x5A);
            if (Check(page != 0, "a user page is mapped"))
                ReadDirectly(page);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static byte ReadDirectly(ulong userAddress) => *(byte*)userAddress;
    }
}
