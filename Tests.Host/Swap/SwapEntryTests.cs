using System;
using Cowbird.Mm.Swap;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    public class SwapEntryTests
    {
        [Theory]
        [InlineData(0, 1ul)]
        [InlineData(1, 2ul)]
        [InlineData(31, 12345ul)]
        [InlineData(7, (1ul << 40) - 1)]
        public void Entry_round_trips_through_its_pte(int type, ulong slot)
        {
            var entry = new SwapEntry(type, slot);
            ulong pte = entry.ToPte();
            Assert.True(SwapEntry.IsSwapPte(pte));
            var back = SwapEntry.FromPte(pte);
            Assert.Equal(type, back.Type);
            Assert.Equal(slot, back.Slot);
            Assert.True(back.Equals(entry));
        }

        [Fact]
        public void Pte_layout_is_type_in_bits_1_to_5_and_slot_in_bits_12_to_51()
        {
            Assert.Equal((5ul << 1) | (0x123ul << 12), new SwapEntry(5, 0x123).ToPte());
            Assert.Equal((31ul << 1) | (((1ul << 40) - 1) << 12), new SwapEntry(31, (1ul << 40) - 1).ToPte());
        }

        [Fact]
        public void Random_valid_entries_never_encode_to_zero_present_or_prot_none()
        {
            var random = new Random(1234);
            for (int i = 0; i < 100_000; i++)
            {
                int type = random.Next(SwapEntry.MaxTypes);
                ulong slot = 1 + (ulong)random.NextInt64((1L << 40) - 1);
                ulong pte = new SwapEntry(type, slot).ToPte();
                Assert.NotEqual(0ul, pte);
                Assert.Equal(0ul, pte & SwapEntry.PresentBit);
                Assert.Equal(0ul, pte & SwapEntry.ProtNoneBit);
                Assert.Equal(0ul, pte >> 52);   // NX and the high software bits stay clear
            }
        }

        [Fact]
        public void Present_pte_is_not_a_swap_pte()
        {
            ulong presentWritableUser = (0x1234ul << 12) | 0b111;
            Assert.False(SwapEntry.IsSwapPte(presentWritableUser));
            Assert.False(SwapEntry.IsSwapPte(presentWritableUser | SwapEntry.ProtNoneBit));
        }

        [Fact]
        public void Prot_none_pte_is_not_a_swap_pte()
        {
            ulong protNone = (0x1234ul << 12) | SwapEntry.ProtNoneBit | 0b100;
            Assert.False(SwapEntry.IsSwapPte(protNone));
        }

        [Fact]
        public void Empty_pte_is_not_a_swap_pte()
        {
            Assert.False(SwapEntry.IsSwapPte(0));
        }

        [Fact]
        public void Slot_zero_is_the_header_and_not_a_valid_entry()
        {
            Assert.False(new SwapEntry(3, 0).IsValid);
            Assert.True(new SwapEntry(3, 1).IsValid);
        }

        [Fact]
        public void Decoding_a_present_pte_panics()
        {
            var e = Assert.Throws<MmPanicException>(() => SwapEntry.FromPte(0x1000 | SwapEntry.PresentBit));
            Assert.Contains("SwapEntry.FromPte", e.Message);
        }

        [Theory]
        [InlineData(32, 1ul)]
        [InlineData(-1, 1ul)]
        [InlineData(0, 1ul << 40)]
        public void Type_or_slot_too_large_for_the_pte_panics(int type, ulong slot)
        {
            Assert.Throws<MmPanicException>(() => new SwapEntry(type, slot));
        }
    }
}
