using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Tests.Shared;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>training.backend through HTTP: the chapter's SimpleRNN(32) on torch against the managed engine, and the refusals.</summary>
public sealed class TorchBackendTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private static object ChapterSimpleRnn(string datasetId, string backend) => new
    {
        datasetId, targets = new[] { "rail" }, windowLength = 56, horizon = 1,
        split = new { trainFrom = "2016-01-01", trainTo = "2018-12-31", validFrom = "2019-01-01", validTo = "2019-05-31" },
        scaling = new { kind = "divide", by = 1e6 },
        model = new { kind = "simple_rnn", units = new[] { 32 } },
        training = new { loss = "huber", optimizer = "sgd", learningRate = 0.05, momentum = 0.9, epochs = 500, batchSize = 32, patience = 50, seed = 42, backend },
    };

    private static double ValidationMae(JsonElement model) =>
        model.GetProperty("metrics").GetProperty("validation").GetProperty("byTarget").GetProperty("rail").GetProperty("mae").GetDouble();

    [CtaFact]
    public async Task Chapter_simple_rnn_on_torch_matches_the_managed_engine_within_five_percent()
    {
        // One torch thread: two libtorch threads crawl on a shared, oversubscribed CI machine (docs/benchmarks.md).
        using var service = ApiFactory.With(new() { ["Training:TorchThreads"] = "1" });
        var client = service.CreateClient();
        var dataset = (await TestDatasets.UploadCtaAsync(client)).Id();
        var managed = await client.TrainAsync(ChapterSimpleRnn(dataset, "managed"), TimeSpan.FromMinutes(5));
        var torch = await client.TrainAsync(ChapterSimpleRnn(dataset, "torch"), TimeSpan.FromMinutes(5));
        Assert.Equal("managed", managed.GetProperty("details").GetProperty("backend").GetString());
        Assert.Equal("torch", torch.GetProperty("details").GetProperty("backend").GetString());
        var (m, t) = (ValidationMae(managed), ValidationMae(torch));
        output.WriteLine($"validation MAE: managed {m:F1} (best epoch {managed.GetProperty("details").GetProperty("bestEpoch")}), torch {t:F1} (best epoch {torch.GetProperty("details").GetProperty("bestEpoch")})");
        Assert.True(Math.Abs(t - m) <= 0.05 * m, $"validation MAE: torch {t:F1}, managed {m:F1}");

        // The torch-trained weights are stored in the managed layout and served by the managed engine.
        var forecast = await client.PostAsJsonAsync($"/api/models/{torch.GetProperty("id").GetString()}/forecast",
            new { origin = "2019-05-31", horizon = 1, levels = new[] { 95 } });
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
        var mean = (await forecast.ReadJsonAsync()).GetProperty("points")[0].GetProperty("values").GetProperty("rail").GetProperty("mean").GetDouble();
        Assert.InRange(mean, 100_000, 1_000_000);
    }

    [Fact]
    public async Task Backend_values_and_statistical_kinds_are_checked_before_queueing()
    {
        var client = factory.CreateClient();
        var id = (await TestDatasets.UploadDailyAsync(client, days: 120, name: "backend")).Id();
        object Request(object model, string backend) => new
        {
            datasetId = id, targets = new[] { "value" }, windowLength = 14, split = new { train = 0.7, valid = 0.2 }, model,
            training = new { epochs = 1, backend },
        };

        var unknown = await client.PostAsJsonAsync("/api/training-runs", Request(new { kind = "gru", units = new[] { 4 } }, "gpu"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var body = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("\"training.backend\"", body);
        Assert.Contains("one of 'auto', 'managed', 'torch'", body);

        var statistical = await client.PostAsJsonAsync("/api/training-runs", Request(new { kind = "seasonal_naive", season = 7 }, "torch"));
        Assert.Equal(HttpStatusCode.BadRequest, statistical.StatusCode);
        Assert.Contains("\"training.backend\"", await statistical.Content.ReadAsStringAsync());

        var model = await client.TrainAsync(Request(new { kind = "gru", units = new[] { 4 } }, "torch"));
        Assert.Equal("torch", model.GetProperty("details").GetProperty("backend").GetString());
        var auto = await client.TrainAsync(Request(new { kind = "gru", units = new[] { 4 } }, "auto"));
        Assert.Equal("managed", auto.GetProperty("details").GetProperty("backend").GetString());
        Assert.StartsWith("auto:", auto.GetProperty("details").GetProperty("backendChoice").GetString());
        Assert.Equal(1, auto.GetProperty("details").GetProperty("threads").GetInt32());
        Assert.StartsWith("one thread:", auto.GetProperty("details").GetProperty("threadsChoice").GetString());
        Assert.True(model.GetProperty("details").GetProperty("threads").GetInt32() >= 1);
    }

    [Fact]
    public void A_cuda_worker_without_a_cuda_device_refuses_to_start_saying_why()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // a GPU machine starts; the refusal is for the others
        using var worker = ApiFactory.With(new() { ["role"] = "worker", ["Training:Device"] = "cuda" });
        var error = Assert.ThrowsAny<Exception>(() => worker.CreateClient());
        Assert.Contains("libtorch finds no CUDA device", error.ToString());
    }

    [Fact]
    public void A_worker_configuration_naming_an_unknown_backend_is_refused()
    {
        using var worker = ApiFactory.With(new() { ["role"] = "worker", ["Training:Backend"] = "tensorflow" });
        var error = Assert.ThrowsAny<Exception>(() => worker.CreateClient());
        Assert.Contains("Training:Backend", error.ToString());
        Assert.Contains("'tensorflow' is not one of auto, managed, torch", error.ToString());
    }
}
