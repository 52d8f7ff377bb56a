using Forecasting.Api.Http;

namespace Forecasting.Api.Tests;

public sealed class PagingTests
{
    private static readonly IQueryable<int> Items = Enumerable.Range(0, 500).AsQueryable();

    [Theory]
    [InlineData(null, null, 0, 50)]
    [InlineData(10, 5, 10, 5)]
    [InlineData(-3, 0, 0, 1)]      // negative skip is 0, take at least 1
    [InlineData(0, 10_000, 0, 200)] // take at most 200
    public void Clamps_skip_and_take(int? skip, int? take, int first, int count)
    {
        var page = Items.Page(skip, take).ToList();
        Assert.Equal(count, page.Count);
        Assert.Equal(first, page[0]);
    }
}
