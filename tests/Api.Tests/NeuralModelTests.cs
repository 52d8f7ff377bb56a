using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Tests;

/// <summary>Every neural kind and strategy through HTTP on the chapter's synthetic series (small settings).</summary>
public sealed class NeuralModelTests(NeuralModelTests.Fixture fixture) : IClassFixture<NeuralModelTests.Fixture>
{
    private const int WindowLength = 40;
    private const int Horizon = 5;

    public sealed class Fixture : IAsyncLifetime
    {
        public ApiFactory Factory { get; } = new();
        public HttpClient Client { get; private set; } = null!;
        public string DatasetId { get; private set; } = "";

        /// <summary>The naive (last value) MAE on the validation windows, the baseline every model must beat.</summary>
        public double NaiveMae { get; private set; }

        public async Task InitializeAsync()
        {
            Client = Factory.CreateClient();
            var created = await (await Client.PostAsJsonAsync("/api/datasets/synthetic", new { name = "syn", count = 500, steps = 50, seed = 42 })).ReadJsonAsync();
            DatasetId = created.Id();
            var data = await (await Client.GetAsync($"/api/datasets/{DatasetId}/data")).ReadJsonAsync();
            // The chapter's series-wise split (by: series) 0.7 / 0.2: validation series are 350..449; windows lie inside each series.
            double sum = 0;
            var n = 0;
            foreach (var series in data.GetProperty("series").EnumerateArray().Skip(350).Take(100))
            {
                var values = series.GetProperty("columns").GetProperty("value").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                for (var origin = WindowLength - 1; origin + Horizon < values.Length; origin++)
                    for (var k = 1; k <= Horizon; k++) { sum += Math.Abs(values[origin + k] - values[origin]); n++; }
            }
            NaiveMae = sum / n;
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private object Request(string strategy, object model, int epochs = 8, int? horizon = null, int? shuffleBuffer = null) => new
    {
        datasetId = fixture.DatasetId,
        targets = new[] { "value" },
        windowLength = WindowLength,
        horizon = horizon ?? Horizon,
        strategy,
        split = new { train = 0.7, valid = 0.2, by = "series" },
        model,
        training = new { loss = "mse", optimizer = "adam", learningRate = 0.005, epochs, batchSize = 32, patience = 3, seed = 7, shuffleBuffer },
    };

    public static TheoryData<string, string, string> Cases => new()
    {
        { "linear", "direct", """{ "kind": "linear" }""" },
        { "linear", "recursive", """{ "kind": "linear" }""" },
        { "simple_rnn", "direct", """{ "kind": "simple_rnn", "units": [16] }""" },
        { "simple_rnn", "recursive", """{ "kind": "simple_rnn", "units": [16] }""" },
        { "simple_rnn", "seq2seq", """{ "kind": "simple_rnn", "units": [16, 16], "layerNorm": true, "recurrentDropout": 0.1 }""" },
        { "lstm", "seq2seq", """{ "kind": "lstm", "units": [16, 16] }""" },
        { "lstm", "direct", """{ "kind": "lstm", "units": [16], "recurrentDropout": 0.1 }""" },
        { "gru", "direct", """{ "kind": "gru", "units": [16] }""" },
        { "gru", "recursive", """{ "kind": "gru", "units": [16] }""" },
        { "conv_gru", "seq2seq", """{ "kind": "conv_gru", "filters": 16, "kernelSize": 4, "strides": 2, "units": [16] }""" },
        { "conv_gru", "direct", """{ "kind": "conv_gru", "filters": 16, "units": [16] }""" },
        { "wavenet", "seq2seq", """{ "kind": "wavenet", "filters": 16, "dilations": [1, 2, 4, 8] }""" },
        { "wavenet gated", "seq2seq", """{ "kind": "wavenet", "gated": true, "filters": 16, "dilations": [1, 2, 4, 8] }""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Trains_through_the_API_and_beats_the_naive_forecast(string kind, string strategy, string modelJson)
    {
        var model = await fixture.Client.TrainAsync(Request(strategy, JsonDocument.Parse(modelJson).RootElement));
        var validation = model.GetProperty("metrics").GetProperty("validation");
        var mae = validation.GetProperty("mae").GetDouble();
        Assert.True(mae < 0.8 * fixture.NaiveMae, $"{kind}/{strategy}: validation MAE {mae:0.0000} vs naive {fixture.NaiveMae:0.0000}");
        Assert.Equal(Horizon, validation.GetProperty("perHorizon").GetArrayLength());
        Assert.True(model.GetProperty("parameters").GetInt64() > 0);
        Assert.NotEmpty(model.GetProperty("history").EnumerateArray());

        // A forecast from a validation series: every step, with nested intervals.
        var forecast = await fixture.Client.PostAsJsonAsync($"/api/models/{model.Id()}/forecast", new { series = "400", origin = 44, levels = new[] { 80, 95 }, samples = 30 });
        var body = await forecast.ReadJsonAsync();
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, body.ToString());
        var points = body.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(Horizon, points.Length);
        Assert.Equal(45, points[0].GetProperty("timestamp").GetInt64());
        foreach (var point in points)
        {
            var v = point.GetProperty("values").GetProperty("value");
            Assert.True(v.GetProperty("lower").GetProperty("95").GetDouble() <= v.GetProperty("lower").GetProperty("80").GetDouble());
            Assert.True(v.GetProperty("lower").GetProperty("80").GetDouble() < v.GetProperty("upper").GetProperty("80").GetDouble());
            Assert.True(v.GetProperty("upper").GetProperty("80").GetDouble() <= v.GetProperty("upper").GetProperty("95").GetDouble());
        }
    }

    [Theory]
    [InlineData("direct", """{ "kind": "wavenet" }""", "strategy")]
    [InlineData("seq2seq", """{ "kind": "linear" }""", "strategy")]
    [InlineData("direct", """{ "kind": "lstm", "layerNorm": true }""", "model.layerNorm")]
    [InlineData("direct", """{ "kind": "simple_rnn", "layerNorm": true, "dropout": 0.2 }""", "model.dropout")]
    [InlineData("direct", """{ "kind": "lstm", "units": [8], "dropout": 0.2 }""", "model.dropout")]
    [InlineData("direct", """{ "kind": "gru", "units": [] }""", "model.units")]
    [InlineData("direct", """{ "kind": "conv_gru", "kernelSize": 2, "strides": 3 }""", "model.strides")]
    public async Task Unsupported_settings_are_refused_before_queueing(string strategy, string modelJson, string field)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/training-runs", Request(strategy, JsonDocument.Parse(modelJson).RootElement));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", body);
    }

    [Fact]
    public async Task A_shuffle_buffer_trains_and_is_kept_in_the_models_request()
    {
        var model = await fixture.Client.TrainAsync(Request("seq2seq", new { kind = "simple_rnn", units = new[] { 16 } }, shuffleBuffer: 64));
        var mae = model.GetProperty("metrics").GetProperty("validation").GetProperty("mae").GetDouble();
        Assert.True(mae < 0.8 * fixture.NaiveMae, $"validation MAE {mae:0.0000} vs naive {fixture.NaiveMae:0.0000}");
        Assert.Equal(64, model.GetProperty("request").GetProperty("training").GetProperty("shuffleBuffer").GetInt32());
    }

    [Fact]
    public async Task A_window_that_does_not_fit_the_data_is_refused()
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = fixture.DatasetId, targets = new[] { "value" }, windowLength = 60, horizon = 5,
            split = new { train = 0.7, valid = 0.2, by = "series" }, model = new { kind = "linear" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("windowLength + horizon", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Weights_download_as_a_safetensors_file_with_documented_names()
    {
        var model = await fixture.Client.TrainAsync(Request("seq2seq", new { kind = "lstm", units = new[] { 8 } }, epochs: 1));
        var bytes = await fixture.Client.GetByteArrayAsync($"/api/models/{model.Id()}/weights");
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength)).RootElement;
        Assert.Equal("F32", header.GetProperty("lstm.0.weight_ih").GetProperty("dtype").GetString());
        Assert.Equal([32, 1], header.GetProperty("lstm.0.weight_ih").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.True(header.GetProperty("__metadata__").TryGetProperty("spec", out _));
        var parameters = header.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Sum(p => p.Value.GetProperty("shape").EnumerateArray().Aggregate(1, (a, d) => a * d.GetInt32()));
        Assert.Equal(model.GetProperty("parameters").GetInt64(), parameters);
        Assert.Equal(8 + headerLength + 4L * parameters, bytes.Length);
    }

    [Fact]
    public async Task Cancelling_a_running_neural_run_stops_it_mid_training_and_leaves_no_model()
    {
        var client = fixture.Client;
        var queued = await (await client.PostAsJsonAsync("/api/training-runs", Request("seq2seq", new { kind = "lstm", units = new[] { 32, 32 } }, epochs: 10_000))).ReadJsonAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await (await client.GetAsync($"/api/training-runs/{queued.Id()}")).ReadJsonAsync()).GetProperty("progress").GetProperty("epoch").GetInt32() < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run never finished an epoch");
            await Task.Delay(50);
        }
        var models = await fixture.Factory.QueryAsync(db => db.Models.CountAsync());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-runs/{queued.Id()}/cancel", null)).StatusCode);
        var run = await client.WaitForRunAsync(queued.Id(), TimeSpan.FromMinutes(1));
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("progress").GetProperty("epoch").GetInt32() < 10_000);
        Assert.Equal(models, await fixture.Factory.QueryAsync(db => db.Models.CountAsync()));
    }
}
