using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// Whether auto_sarima compares candidate orders by an approximate criterion (a training request's
/// <c>model.approximation</c>; auto by default), as R's <c>auto.arima(approximation = …)</c>. The chosen model is always
/// refitted by exact maximum likelihood, so only which orders are compared cheaply changes, not the final fit.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<AutoSarimaApproximation>))]
public enum AutoSarimaApproximation
{
    /// <summary>R's rule: approximate when the series is longer than 150 observations or the season longer than 12.</summary>
    [JsonStringEnumMemberName("auto")] Auto,

    /// <summary>
    /// Always compare candidates by AICc from a conditional-sum-of-squares fit (R's method "CSS"), then refit the best
    /// ones by exact maximum likelihood until one is accepted.
    /// </summary>
    [JsonStringEnumMemberName("always")] Always,

    /// <summary>Never: every candidate is fitted by exact maximum likelihood (slower on long series).</summary>
    [JsonStringEnumMemberName("never")] Never,
}
