using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Domain;
using Forecasting.Training.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>
/// Each kind states its own traits (family, queue, fields, strategies, stored format): the traits must be coherent,
/// name only fields a request can carry, and be what GET /api/model-kinds serves and the field check enforces.
/// </summary>
public sealed class ModelKindTraitsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly HashSet<string> ModelSpecFields = typeof(ModelSpec).GetProperties()
        .Where(p => p.Name != nameof(ModelSpec.Kind)).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();

    private ModelKindRegistry Kinds => factory.Services.GetRequiredService<ModelKindRegistry>();

    [Fact]
    public void Every_registered_kind_declares_fields_a_request_can_carry()
    {
        Assert.NotEmpty(Kinds.Names);
        foreach (var kind in Kinds.All)
        {
            var fields = kind.Traits.Fields;
            Assert.All(fields, f => Assert.True(ModelSpecFields.Contains(f.Name), $"'{kind.Name}' declares '{f.Name}', which is not a model field"));
            Assert.Equal(fields.Count, fields.Select(f => f.Name).Distinct().Count());
            Assert.All(fields, f => Assert.False(string.IsNullOrWhiteSpace(f.Description), $"'{kind.Name}'.{f.Name} has no description"));
            Assert.All(fields, f => Assert.True(f.Required == f.Default is null || f.Description.Contains("default", StringComparison.Ordinal),
                $"'{kind.Name}'.{f.Name}: an optional field has a default, or says where it comes from"));
            Assert.All(fields.Where(f => f.Type == ModelFieldType.Choice), f => Assert.Contains(f.Default as string ?? "", f.Choices ?? []));
        }
    }

    [Fact]
    public void Every_registered_kinds_traits_agree_with_each_other()
    {
        foreach (var kind in Kinds.All)
        {
            var traits = kind.Traits;
            Assert.NotEmpty(traits.Strategies);
            Assert.Equal(traits.StateFormat == "safetensors", traits.HasWeightTensors);
            // A statistical refit is cheap (backtest calibration) and its jobs never wait behind neural training.
            Assert.Equal(traits.Family == ModelFamily.Statistical, traits.Queue == WorkQueue.Statistical);
            Assert.Equal(traits.Family == ModelFamily.Statistical, traits.BacktestCalibration);
        }
    }

    [Fact]
    public async Task The_endpoint_serves_every_kind_with_its_traits_and_field_schemas()
    {
        var response = await factory.CreateClient().GetAsync("/api/model-kinds");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = (await response.ReadJsonAsync()).EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
        Assert.Equal(Kinds.Names.Order(), served.Keys.Order());

        var sarima = served["sarima"];
        Assert.Equal("statistical", sarima.GetProperty("family").GetString());
        Assert.Equal("statistical", sarima.GetProperty("queue").GetString());
        Assert.Equal("heavy", sarima.GetProperty("fitCost").GetString());
        Assert.Equal("light", served["seasonal_naive"].GetProperty("fitCost").GetString());
        Assert.Equal(["direct", "recursive"], sarima.GetProperty("strategies").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("sarima-json-v1", sarima.GetProperty("stateFormat").GetString());
        Assert.False(sarima.GetProperty("hasWeightTensors").GetBoolean());
        Assert.True(sarima.GetProperty("backtestCalibration").GetBoolean());
        Assert.True(sarima.GetProperty("perSeriesFits").GetBoolean());
        var order = sarima.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "order");
        Assert.Equal("integers", order.GetProperty("type").GetString());
        Assert.True(order.GetProperty("required").GetBoolean());
        Assert.Equal("[1,0,0]", order.GetProperty("example").GetRawText());

        var wavenet = served["wavenet"];
        Assert.Equal("neural", wavenet.GetProperty("family").GetString());
        Assert.Equal(["seq2seq"], wavenet.GetProperty("strategies").EnumerateArray().Select(s => s.GetString()));
        Assert.True(wavenet.GetProperty("hasWeightTensors").GetBoolean());
        Assert.True(wavenet.GetProperty("knownFuture").GetBoolean());
        Assert.False(wavenet.GetProperty("perSeriesFits").GetBoolean());
        Assert.Equal(["filters", "dilations", "gated"], wavenet.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var filters = wavenet.GetProperty("fields")[0];
        Assert.Equal(32, filters.GetProperty("default").GetInt32());
        Assert.Equal(1024, filters.GetProperty("maximum").GetDouble());

        var search = served["auto_sarima"].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "search");
        Assert.Equal(["stepwise", "grid"], search.GetProperty("choices").EnumerateArray().Select(c => c.GetString()));
        var dropout = served["lstm"].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "dropout");
        Assert.Equal(1, dropout.GetProperty("exclusiveMaximum").GetDouble());
        Assert.Empty(served["naive"].GetProperty("fields").EnumerateArray());
    }

    [Theory]
    [InlineData("""{ "kind": "seasonal_naive", "units": [8] }""", "model.units", "'seasonal_naive' does not use units; its fields are season.")]
    [InlineData("""{ "kind": "naive", "season": 7 }""", "model.season", "'naive' does not use season; it takes no other model fields.")]
    [InlineData("""{ "kind": "wavenet", "kernelSize": 3 }""", "model.kernelSize", "'wavenet' does not use kernelSize; its fields are filters, dilations, gated.")]
    public async Task A_model_field_the_kind_does_not_declare_is_refused(string modelJson, string field, string message)
    {
        var client = factory.CreateClient();
        var dataset = await TestDatasets.UploadDailyAsync(client, 60);
        var response = await client.PostAsJsonAsync("/api/training-runs", new
        {
            datasetId = dataset.Id(), targets = new[] { "value" }, horizon = 1, windowLength = 7, strategy = "seq2seq",
            split = new { train = 0.8 }, model = JsonDocument.Parse(modelJson).RootElement,
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(message, errors.GetProperty(field)[0].GetString());
    }
}
