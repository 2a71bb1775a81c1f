using Cowbird.Mm.Platform;

namespace Cowbird.Tests.Host
{
    // A deliberately broken TLB seam, the classic missed-invlpg bug: forwards FlushAll but
    // drops every single-page invalidation. Tests that prove a stale translation is
    // caught (page tables, fork's COW, the model harness's self-test) install it with
    // new TestMachine(frames, real => new DroppingTlb(real)).
    public sealed class DroppingTlb : Tlb
    {
        readonly Tlb inner;
        public int Dropped { get; private set; }

        public DroppingTlb(Tlb real) { inner = real; }

        public override void InvalidatePage(ulong pml4, ulong virtualAddress) { Dropped++; }
        public override void FlushAll(ulong pml4) { inner.FlushAll(pml4); }
    }
}
