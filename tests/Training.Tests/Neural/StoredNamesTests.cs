using System.Text.Json.Nodes;
using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;
using Forecasting.Training.Neural.Serialization;
using Forecasting.Training.NeuralModels;

namespace Forecasting.Training.Tests.Neural;

/// <summary>
/// Vocabularies are enums in memory and their wire names on disk, the names stored before they were enums: a model
/// saved then still loads, and a model saved now reads the same.
/// </summary>
public sealed class StoredNamesTests
{
    /// <summary>A network spec as the service wrote it into safetensors metadata when activation and padding were strings.</summary>
    private const string SavedSpec = """{"inputFeatures":1,"layers":[{"kind":"conv1d","filters":4,"kernelSize":2,"strides":1,"dilationRate":2,"padding":"causal","activation":"relu"},{"kind":"dense","units":3,"activation":"linear"}],"inputSteps":null}""";

    [Fact]
    public void A_stored_network_spec_loads_and_is_written_with_the_same_names()
    {
        var spec = NetworkSpec.FromJson(SavedSpec);
        Assert.Equal(new Conv1DSpec(4, 2, 1, 2, ConvPadding.Causal, ActivationKind.Relu), spec.Layers[0]);
        Assert.Equal(new DenseSpec(3), spec.Layers[1]);
        Assert.Equal(SavedSpec, spec.ToJson());
    }

    [Fact]
    public void A_network_spec_with_a_name_outside_the_vocabulary_is_refused()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => NetworkSpec.FromJson(SavedSpec.Replace("\"causal\"", "\"full\"")));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => NetworkSpec.FromJson(SavedSpec.Replace("\"relu\"", "1")));
    }

    [Fact]
    public void A_neural_model_state_keeps_its_strategy_and_backend_by_name()
    {
        var network = new NetworkSpec(1, [new DenseSpec(1)], 3).Build(1);
        var state = new NeuralModelState("linear", ForecastStrategy.Recursive, 3, 2, [new FeatureColumn("value", false, null, "value")], ["value"],
            new Dictionary<string, ScaleFactors> { ["value"] = new(0, 1) }, TargetShape.Vector, [[1.0], [2.0]], false, Backend: TrainingBackend.Torch);
        var saved = new NeuralForecaster(network, state).SaveState();

        var json = JsonNode.Parse(SafeTensors.ReadMetadata(saved)[NeuralModelState.MetadataKey])!;
        Assert.Equal("recursive", json["strategy"]!.GetValue<string>());
        Assert.Equal("torch", json["backend"]!.GetValue<string>());

        // A state saved before the backend was recorded: the managed engine trained it.
        json.AsObject().Remove("backend");
        json["strategy"] = "seq2seq";
        var older = SafeTensors.Save(network, new Dictionary<string, string> { [NeuralModelState.MetadataKey] = json.ToJsonString() });
        var loaded = NeuralForecaster.Load(older).State;
        Assert.Equal(ForecastStrategy.Seq2seq, loaded.Strategy);
        Assert.Equal(TrainingBackend.Managed, loaded.Backend);
    }
}
