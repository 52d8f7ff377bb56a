using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>A training request's <c>transform.kind</c>: the variance-stabilising transform a statistical kind fits on.</summary>
[JsonConverter(typeof(WireEnumConverter<TransformKind>))]
public enum TransformKind
{
    /// <summary>
    /// Box-Cox as R's <c>forecast::BoxCox</c>: (y^λ − 1)/λ, or log y for λ = 0; λ fixed or chosen by Guerrero's method.
    /// Needs positive data for λ ≤ 0 (and for "auto"), non-negative data for λ &gt; 0.
    /// </summary>
    [JsonStringEnumMemberName("boxcox")] BoxCox,

    /// <summary>log(1 + y), for counts with zeros; needs values above −1.</summary>
    [JsonStringEnumMemberName("log1p")] Log1p,
}
