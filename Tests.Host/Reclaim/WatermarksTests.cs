using Cowbird.Mm.Reclaim;
using Xunit;

namespace Cowbird.Tests.Host.Reclaim
{
    public class WatermarksTests
    {
        [Theory]
        [InlineData(64UL, 3UL, 4UL, 6UL)]
        [InlineData(512UL, 10UL, 13UL, 17UL)]
        [InlineData(262144UL, 4098UL, 5123UL, 6149UL)]     // 1 GiB
        public void Watermarks_follow_the_documented_formula(ulong total, ulong min, ulong low, ulong high)
        {
            var marks = new Watermarks(total);
            Assert.Equal(min, marks.Min);
            Assert.Equal(low, marks.Low);
            Assert.Equal(high, marks.High);
        }
    }
}
