using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// Issue 21's retail trial, end to end over HTTP: 200 SKUs × 3 years of weekly sales in Nixtla's long format
/// (<c>unique_id, ds, y, promo</c>), the promo planned 8 weeks ahead as future rows. Fast movers, slow movers, one
/// SKU that never sold and one launched 14 weeks before the cut-off. Seasonal naive, <c>auto</c> and a GRU with the
/// promo over all 200, one batch forecast with the planned promos, and a backtest with <c>knownFuture</c>.
/// </summary>
public sealed class RetailTrialTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const int Skus = 200, Weeks = 156, Ahead = 8, Launched = 14;
    private const string Zero = "SKU000", New = "SKU199";
    private static readonly DateTime FirstMonday = new(2021, 1, 4);

    private static string Week(int t) => FirstMonday.AddDays(7 * t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Sku(int i) => $"SKU{i:000}";

    /// <summary>The long CSV as a retailer exports it; a SKU's promo lifts its sales by 60%.</summary>
    private static string Csv()
    {
        var csv = new StringBuilder("unique_id,ds,y,promo\n");
        for (var i = 0; i < Skus; i++)
        {
            var random = new Random(i);
            var level = i % 2 == 0 ? 150.0 : 1.5;
            var first = Sku(i) == New ? Weeks - Launched : 0;
            for (var t = first; t < Weeks + Ahead; t++)
            {
                var promo = random.NextDouble() < 0.15 ? 1 : 0;
                var sales = Sku(i) == Zero ? 0 : Math.Round(level * (1 + 0.6 * promo) * (1 + 0.2 * Math.Sin(2 * Math.PI * t / 52)) * (0.8 + 0.4 * random.NextDouble()), 1);
                csv.Append(Sku(i)).Append(',').Append(Week(t)).Append(',')
                    .Append(t < Weeks ? sales.ToString(CultureInfo.InvariantCulture) : "").Append(',').Append(promo).Append('\n');
            }
        }
        return csv.ToString();
    }

    private static readonly object Split = new { trainTo = Week(Weeks - Ahead - 1), validFrom = Week(Weeks - Ahead), validTo = Week(Weeks - 1) };

    private static object Gru(string datasetId, object? series = null) => new
    {
        datasetId, series, targets = new[] { "y" }, knownFuture = new[] { "promo" }, horizon = Ahead, strategy = "direct", windowLength = 12,
        scaling = new { kind = "standard" }, model = new { kind = "gru", units = new[] { 8 } },
        training = new { epochs = 3, optimizer = "adam", learningRate = 0.01, batchSize = 64, seed = 3 },
        split = Split,
    };

    [Fact]
    public async Task The_retail_trial_passes_end_to_end()
    {
        var client = factory.CreateClient();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // The long CSV uploads as it is: no seriesColumn or timeColumn; the promo weeks ahead are future rows.
        using var form = new MultipartFormDataContent();
        var file = new StringContent(Csv());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "sales.csv");
        form.Add(new StringContent("retail"), "name");
        var uploaded = await client.PostAsync("/api/datasets", form);
        var dataset = await uploaded.ReadJsonAsync();
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, $"upload: {dataset}");
        Assert.Equal(Skus, dataset.GetProperty("series").GetArrayLength());
        Assert.All(dataset.GetProperty("series").EnumerateArray(), s => Assert.Equal(Ahead, s.GetProperty("futureRows").GetInt32()));
        output.WriteLine($"upload {watch.Elapsed.TotalSeconds:0.0} s");

        // Seasonal naive over all 200: the new SKU has 6 training weeks, less than a season, and falls back to naive.
        var snaive = await client.TrainAsync(new { datasetId = dataset.Id(), targets = new[] { "y" }, horizon = Ahead, model = new { kind = "seasonal_naive" }, split = Split });
        var outcomes = snaive.GetProperty("series");
        Assert.Equal(Skus - 1, outcomes.GetProperty("fitted").GetInt32());
        var fellBack = Assert.Single(outcomes.GetProperty("notFitted").EnumerateArray());
        Assert.Equal(New, fellBack.GetProperty("series").GetString());
        Assert.Equal("naive", fellBack.GetProperty("method").GetString());
        output.WriteLine($"seasonal naive {watch.Elapsed.TotalSeconds:0.0} s");

        // auto over all 200, the zero and the new one among them: every one is forecast, and the model says how.
        var auto = await client.TrainAsync(new { datasetId = dataset.Id(), targets = new[] { "y" }, horizon = Ahead, model = new { kind = "auto" }, split = Split },
            TimeSpan.FromMinutes(8));
        var autoOutcomes = auto.GetProperty("series");
        Assert.Equal(Skus, autoOutcomes.GetProperty("fitted").GetInt32() + autoOutcomes.GetProperty("fallback").GetInt32());
        var zero = auto.GetProperty("series").GetProperty("notFitted").EnumerateArray().Single(s => s.GetProperty("series").GetString() == Zero);
        Assert.Contains("constant", zero.GetProperty("reason").GetString());
        output.WriteLine($"auto {watch.Elapsed.TotalSeconds:0.0} s");

        // A GRU with the promo over all 200 SKUs, then one batch forecast of every SKU with the planned promos.
        var gru = await client.TrainAsync(Gru(dataset.Id()), TimeSpan.FromMinutes(8));
        Assert.Equal(Skus, gru.GetProperty("series").GetProperty("fitted").GetInt32());
        output.WriteLine($"gru {watch.Elapsed.TotalSeconds:0.0} s");
        var batch = await client.PostAsJsonAsync($"/api/models/{gru.GetProperty("id").GetString()}/forecast", new { horizon = Ahead, levels = new[] { 80 } });
        var forecasts = await batch.ReadJsonAsync();
        Assert.True(batch.IsSuccessStatusCode, $"batch forecast: {forecasts}");
        var bySku = forecasts.GetProperty("forecasts").EnumerateArray().ToDictionary(f => f.GetProperty("series").GetString()!);
        Assert.Equal(Skus, bySku.Count);
        Assert.All(bySku.Values, f => Assert.Equal(Ahead, f.GetProperty("points").GetArrayLength()));
        Assert.Equal(Week(Weeks), bySku[New].GetProperty("points")[0].GetProperty("timestamp").GetString());

        // A backtest of the GRU with knownFuture over the last 8 weeks: every SKU but the new one has a window before them;
        // the new one is reported as not forecast, with why, and the others are scored.
        var backtest = await client.BacktestAsync(new
        {
            datasetId = dataset.Id(), targets = new[] { "y" }, knownFuture = new[] { "promo" }, horizon = Ahead, strategy = "direct", windowLength = 12,
            scaling = new { kind = "standard" }, model = new { kind = "gru", units = new[] { 8 } },
            training = new { epochs = 3, optimizer = "adam", learningRate = 0.01, batchSize = 64, seed = 3 },
            from = Week(Weeks - Ahead), to = Week(Weeks - 1),
        });
        var skip = Assert.Single(backtest.GetProperty("skipped").EnumerateArray());
        Assert.Equal(New, skip.GetProperty("series").GetString());
        Assert.Contains("windows of 12 steps", skip.GetProperty("reason").GetString());
        var mae = backtest.GetProperty("metrics").GetProperty("mae").GetDouble();
        Assert.True(double.IsFinite(mae) && mae > 0, $"backtest MAE {mae}");
        output.WriteLine($"backtest {watch.Elapsed.TotalSeconds:0.0} s, MAE {mae:0.00}");
    }
}
