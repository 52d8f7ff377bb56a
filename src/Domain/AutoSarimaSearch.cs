using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>How auto_sarima explores the orders (a training request's <c>model.search</c>; stepwise by default).</summary>
[JsonConverter(typeof(WireEnumConverter<AutoSarimaSearch>))]
public enum AutoSarimaSearch
{
    /// <summary>
    /// Hyndman–Khandakar (R's auto.arima, pmdarima's default), for each d, D: fit four starting models, then repeatedly
    /// fit the current best's neighbours (p, q, P or Q ± 1; p and q together ± 1; P and Q together ± 1) and move to the
    /// best of them while that lowers AICc. Typically a quarter of the grid's fits; it can stop at a local minimum.
    /// </summary>
    [JsonStringEnumMemberName("stepwise")] Stepwise,

    /// <summary>Every p, q, P, Q up to the maxima (p + q + P + Q ≤ 5), with d and D chosen by the tests as for stepwise.</summary>
    [JsonStringEnumMemberName("grid")] Grid,
}
