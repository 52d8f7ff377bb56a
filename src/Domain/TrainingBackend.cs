using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// The engine that trains a neural kind (a training request's <c>training.backend</c>, the model's details, the
/// <c>Training:Backend</c> and <c>Training:ForbiddenBackends</c> configuration keys). <see cref="Auto"/> is a request's
/// choice only: the worker picks one of the others.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<TrainingBackend>))]
[TypeConverter(typeof(WireEnumTypeConverter<TrainingBackend>))]
public enum TrainingBackend
{
    [JsonStringEnumMemberName("auto")] Auto,
    [JsonStringEnumMemberName("managed")] Managed,
    [JsonStringEnumMemberName("torch")] Torch,
}
