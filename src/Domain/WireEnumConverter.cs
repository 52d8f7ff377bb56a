using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>Closed vocabularies on the wire: their documented strings only (no numbers, no other casing of the names).</summary>
public sealed class WireEnumConverter<T>() : JsonStringEnumConverter<T>(namingPolicy: null, allowIntegerValues: false) where T : struct, Enum;
