using System.ComponentModel;
using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Training.Neural.Backends;

/// <summary>Where the torch backend trains (<c>Training:Device</c>); the managed engine always runs on the CPU.</summary>
[JsonConverter(typeof(WireEnumConverter<TrainingDevice>))]
[TypeConverter(typeof(WireEnumTypeConverter<TrainingDevice>))]
public enum TrainingDevice
{
    [JsonStringEnumMemberName("cpu")] Cpu,
    [JsonStringEnumMemberName("cuda")] Cuda,
}
