using System.Runtime.CompilerServices;
using Cowbird.Kernel.Boot;
using Cowbird.Mm.Swap;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // Kernel.Mm code is plain C# that allocates and drops objects. Building and
    // dropping thousands of swap maps and swap caches (more than the heap holds)
    // must work and leave heap usage where it started.
    public sealed class HeapKernelMmSelfTest : SelfTest
    {
        public override string Name => "heap-kernel-mm";

        private const int Rounds = 3000;
        private const ulong SlotCount = 1024;
        private const ulong AllowedDriftBytes = 4096;

        public override bool Run(BootInfo bootInfo)
        {
            Gc.Collect();
            GcStatistics before = Gc.GetStatistics();
            ulong allocated = Churn();
            Gc.Collect();
            GcStatistics after = Gc.GetStatistics();

            bool ok = Check(allocated > before.HeapBytes, "the rounds allocate more than the whole heap");
            ok &= Check(after.Collections > before.Collections + 1, "the collector ran during the rounds");
            ok &= Check(after.BytesInUse <= before.BytesInUse + AllowedDriftBytes, "bytes in use are back to the starting level");
            return ok;
        }

        // Builds, uses and drops swap maps and caches; returns the bytes of their
        // arrays, or 0 when one of them misbehaved. In its own frame, so no stale
        // reference stays in Run's stack slots (the stack is scanned conservatively).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ulong Churn()
        {
            ulong allocated = 0;
            for (int round = 0; round < Rounds; round++)
            {
                SwapMap map = new SwapMap(SlotCount, new uint[] { 7 });
                SwapCache cache = new SwapCache(64);
                ulong slot;
                if (map.AllocateSlot(out slot) != 0 || map.Verify() != 0 || map.FreeSlots != SlotCount - 3)
                    return 0;
                if (cache.Add(new SwapEntry(1, slot), (ulong)round) != 0 || cache.Count != 1)
                    return 0;
                allocated += SlotCount * sizeof(uint) + 2 * 128 * sizeof(ulong);
            }
            return allocated;
        }
    }
}
