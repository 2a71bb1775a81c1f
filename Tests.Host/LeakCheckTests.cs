using Cowbird.Mm;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;
using static Cowbird.Tests.Host.Rmap.RmapTestSupport;

namespace Cowbird.Tests.Host
{
    // VMAs, anon_vmas and chains are plain objects the collector frees; what proves exit
    // released them is the live count each keeps (bumped on creation, dropped at its
    // release point). An object created and never released must fail the checks.
    public class LeakCheckTests
    {
        [Theory, AllDesigns]
        public void A_vma_never_released_is_caught_by_the_checker(RmapDesign design)
        {
            using var m = new TestMachine(16, rmap: design);
            var a = m.NewSpace();
            var leaked = new Vma(a, 0x10_0000, 0x10_1000, Protection.Read, VmaFlags.Private | VmaFlags.Anonymous, 0x100);
            var e = Assert.Throws<InvariantViolation>(() => m.Check());
            Assert.Contains("[I8] ", e.Message);
            Assert.Contains("VMAs are live", e.Message);
            leaked.Release();
            Assert.Throws<MmPanicException>(() => leaked.Release());
            m.AssertNoLeaks();
        }

        [Fact]
        public void An_anon_vma_never_released_is_caught_by_the_checker()
        {
            using var m = new TestMachine(16);
            m.NewSpace();
            AnonVmaAllocator allocator = Anon(m).Allocator;
            AnonVma leaked = allocator.AllocAnonVma();
            var e = Assert.Throws<InvariantViolation>(() => m.Check());
            Assert.Contains("[I11] AnonVmaAllocator counts", e.Message);
            leaked.RefCount = 0;
            allocator.FreeAnonVma(leaked);
            Assert.Throws<MmPanicException>(() => allocator.FreeAnonVma(leaked));
            m.AssertNoLeaks();
        }

        [Fact]
        public void A_chain_never_released_is_caught_by_the_checker()
        {
            using var m = new TestMachine(16);
            var a = m.NewSpace();
            AnonVmaAllocator allocator = Anon(m).Allocator;
            AnonVmaChain leaked = allocator.AllocChain();
            var e = Assert.Throws<InvariantViolation>(() => m.Check());
            Assert.Contains("[I11] AnonVmaAllocator counts", e.Message);
            Assert.Contains("live chains", e.Message);
            leaked.Vma = new Vma(a, 0x10_0000, 0x10_1000, Protection.Read, VmaFlags.Private | VmaFlags.Anonymous, 0x100);
            leaked.Vma.Release();
            allocator.FreeChain(leaked);
            Assert.Throws<MmPanicException>(() => allocator.FreeChain(leaked));
            m.AssertNoLeaks();
        }
    }
}
