using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// A request's Box-Cox <c>lambda</c>: a number, or "auto" (Guerrero's method on each series' training period, as R's
/// <c>BoxCox.lambda(x, method = "guerrero", lower = -1, upper = 2)</c>).
/// </summary>
[JsonConverter(typeof(BoxCoxLambdaJsonConverter))]
public sealed record BoxCoxLambda(double? Value)
{
    public static readonly BoxCoxLambda Auto = new((double?)null);

    [JsonIgnore]
    public bool IsAuto => Value is null;

    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? "auto";
}
