using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Training.Neural.Core;

/// <summary>Point-wise activations of Dense and Conv1D (Keras names, as stored in a network spec).</summary>
[JsonConverter(typeof(WireEnumConverter<ActivationKind>))]
public enum ActivationKind
{
    [JsonStringEnumMemberName("linear")] Linear,
    [JsonStringEnumMemberName("relu")] Relu,
    [JsonStringEnumMemberName("tanh")] Tanh,
    [JsonStringEnumMemberName("sigmoid")] Sigmoid,
}
