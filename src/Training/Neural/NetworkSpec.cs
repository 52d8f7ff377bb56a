using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Training.Neural.Core;
using Forecasting.Training.Neural.Layers;

namespace Forecasting.Training.Neural;

/// <summary>
/// The architecture as plain data: System.Text.Json round-trips it (a <c>"kind"</c>
/// discriminator per layer), and <see cref="Build"/> turns it into a <see cref="Network"/>
/// whose parameter names are <c>{kind}.{layer index}.{tensor}</c>.
/// <see cref="InputSteps"/> is needed only by Flatten (Keras input_shape [steps, features]).
/// </summary>
public sealed record NetworkSpec(int InputFeatures, List<LayerSpec> Layers, int? InputSteps = null)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static NetworkSpec FromJson(string json) =>
        JsonSerializer.Deserialize<NetworkSpec>(json, JsonOptions) ?? throw new JsonException("empty network spec");

    /// <summary>Creates the layers with Keras initialisation from a seeded RNG.</summary>
    public Network Build(int seed)
    {
        var rng = new Random(seed);
        var layers = new List<Layer>();
        int? steps = InputSteps;
        var features = InputFeatures;
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i].Create(i, features, steps, rng);
            layers.Add(layer);
            if (steps is { } known) (steps, features) = layer.OutputShape(known, features);
            else
            {
                // Feature counts never depend on the length except for Flatten, which needs it known.
                (_, features) = layer.OutputShape(64, features);
            }
        }
        return new Network(InputFeatures, layers, this);
    }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DenseSpec), "dense")]
[JsonDerivedType(typeof(FlattenSpec), "flatten")]
[JsonDerivedType(typeof(SimpleRnnSpec), "rnn")]
[JsonDerivedType(typeof(LstmSpec), "lstm")]
[JsonDerivedType(typeof(GruSpec), "gru")]
[JsonDerivedType(typeof(LayerNormSimpleRnnSpec), "lnrnn")]
[JsonDerivedType(typeof(LayerNormSpec), "layernorm")]
[JsonDerivedType(typeof(BatchNormSpec), "batchnorm")]
[JsonDerivedType(typeof(DropoutSpec), "dropout")]
[JsonDerivedType(typeof(Conv1DSpec), "conv1d")]
[JsonDerivedType(typeof(WaveNetSpec), "wavenet")]
public abstract record LayerSpec
{
    /// <summary>Parameter-name prefix of this kind (the same word as the JSON discriminator); not serialised.</summary>
    protected abstract string Kind { get; }

    public abstract Layer Create(int index, int inputFeatures, int? inputSteps, Random rng);

    protected string NameAt(int index) => $"{Kind}.{index}";
}

/// <summary>Dense(units, activation); on a sequence applied at every step (TimeDistributed).</summary>
public sealed record DenseSpec(int Units, ActivationKind Activation = ActivationKind.Linear) : LayerSpec
{
    protected override string Kind => "dense";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        new DenseLayer(NameAt(index), inputFeatures, Units, Activation, rng);
}

public sealed record FlattenSpec : LayerSpec
{
    protected override string Kind => "flatten";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        inputSteps is null ? throw new ArgumentException("Flatten needs NetworkSpec.InputSteps") : new FlattenLayer(NameAt(index));
}

public sealed record SimpleRnnSpec(int Units, bool ReturnSequences = false, float Dropout = 0, float RecurrentDropout = 0) : LayerSpec
{
    protected override string Kind => "rnn";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        new SimpleRnnLayer(NameAt(index), inputFeatures, Units, ReturnSequences, Dropout, RecurrentDropout, rng);
}

public sealed record LstmSpec(int Units, bool ReturnSequences = false, float Dropout = 0, float RecurrentDropout = 0) : LayerSpec
{
    protected override string Kind => "lstm";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        new LstmLayer(NameAt(index), inputFeatures, Units, ReturnSequences, Dropout, RecurrentDropout, rng);
}

public sealed record GruSpec(int Units, bool ReturnSequences = false, float Dropout = 0, float RecurrentDropout = 0) : LayerSpec
{
    protected override string Kind => "gru";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        new GruLayer(NameAt(index), inputFeatures, Units, ReturnSequences, Dropout, RecurrentDropout, rng);
}

/// <summary>The chapter's RNN(LNSimpleRNNCell(units)).</summary>
public sealed record LayerNormSimpleRnnSpec(int Units, bool ReturnSequences = false, float Dropout = 0, float RecurrentDropout = 0) : LayerSpec
{
    protected override string Kind => "lnrnn";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        new LayerNormSimpleRnnLayer(NameAt(index), inputFeatures, Units, ReturnSequences, Dropout, RecurrentDropout, rng);
}

public sealed record LayerNormSpec(float Epsilon = 1e-3f) : LayerSpec
{
    protected override string Kind => "layernorm";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) => new LayerNormLayer(NameAt(index), inputFeatures, Epsilon);
}

public sealed record BatchNormSpec(float Momentum = 0.99f, float Epsilon = 1e-3f) : LayerSpec
{
    protected override string Kind => "batchnorm";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) => new BatchNormLayer(NameAt(index), inputFeatures, Momentum, Epsilon);
}

public sealed record DropoutSpec(float Rate) : LayerSpec
{
    protected override string Kind => "dropout";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) => new DropoutLayer(NameAt(index), Rate);
}

public sealed record Conv1DSpec(int Filters, int KernelSize, int Strides = 1, int DilationRate = 1, ConvPadding Padding = ConvPadding.Valid,
    ActivationKind Activation = ActivationKind.Linear) : LayerSpec
{
    protected override string Kind => "conv1d";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        new Conv1DLayer(NameAt(index), inputFeatures, Filters, KernelSize, Strides, DilationRate, Padding, Activation, rng);
}

/// <summary>WaveNet body with gated residual blocks and skip connections (see <see cref="WaveNetLayer"/>).</summary>
public sealed record WaveNetSpec(int Filters, int[] Dilations, int KernelSize = 2) : LayerSpec
{
    protected override string Kind => "wavenet";
    public override Layer Create(int index, int inputFeatures, int? inputSteps, Random rng) =>
        new WaveNetLayer(NameAt(index), inputFeatures, Filters, Dilations, KernelSize, rng);
}
