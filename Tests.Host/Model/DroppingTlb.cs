using Cowbird.Mm.Platform;

namespace Cowbird.Tests.Host.Model
{
    // A deliberately broken TLB seam for the harness's self-test: forwards FlushAll but
    // drops every single-page invalidation, the classic missed-invlpg bug.
    public sealed class DroppingTlb : Tlb
    {
        readonly Tlb inner;
        public int Dropped { get; private set; }

        public DroppingTlb(Tlb real) { inner = real; }

        public override void InvalidatePage(ulong pml4, ulong virtualAddress) { Dropped++; }
        public override void FlushAll(ulong pml4) { inner.FlushAll(pml4); }
    }
}
