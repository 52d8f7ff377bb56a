using System.ComponentModel;
using System.Globalization;

namespace Forecasting.Domain;

/// <summary>
/// Closed vocabularies in configuration (options binding): their wire strings only, as on the wire
/// (<see cref="WireEnumConverter{T}"/>); no numbers, no other casing of the names. A refusal lists the accepted values.
/// </summary>
public sealed class WireEnumTypeConverter<T> : TypeConverter where T : struct, Enum
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? WireNames.TryParse<T>(text.Trim(), out var parsed) ? parsed
                : throw new FormatException($"'{text}' is not one of {string.Join(", ", WireNames.All(typeof(T)))}.")
            : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is T known && destinationType == typeof(string) ? known.ToWire() : base.ConvertTo(context, culture, value, destinationType);
}
