using Forecasting.Domain;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Forecasting.Persistence.Configurations;

/// <summary>Stores a vocabulary value by its wire name (<see cref="WireNames"/>), so the column reads as the API does.</summary>
public sealed class WireNameConverter<TEnum>() : ValueConverter<TEnum, string>(v => v.ToWire(), s => Parse(s))
    where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> ByName = Enum.GetValues<TEnum>().ToDictionary(v => v.ToWire());

    private static TEnum Parse(string name) => ByName.TryGetValue(name, out var value)
        ? value : throw new InvalidDataException($"'{name}' is not a stored {typeof(TEnum).Name}.");
}
