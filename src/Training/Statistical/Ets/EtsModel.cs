using System.Text.Json.Serialization;

namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// One ETS model of Hyndman et al. (2008): its error, trend (possibly damped) and season, and the season length
/// (1 when the model has no season).
/// </summary>
public sealed record EtsModel(EtsComponent Error, EtsComponent Trend, bool Damped, EtsComponent Season, int Period)
{
    [JsonIgnore]
    public bool HasTrend => Trend != EtsComponent.None;

    [JsonIgnore]
    public bool HasSeason => Season != EtsComponent.None;

    /// <summary>The states the recursion carries: the level, the growth with a trend, and the last <see cref="Period"/> seasonal indices.</summary>
    [JsonIgnore]
    public int StateCount => 1 + (HasTrend ? 1 : 0) + (HasSeason ? Period : 0);

    /// <summary>The free initial states: the last seasonal index follows from the others (they sum to 0, or to m when multiplicative).</summary>
    [JsonIgnore]
    public int FreeStateCount => StateCount - (HasSeason ? 1 : 0);

    /// <summary>The smoothing parameters: alpha, beta with a trend, gamma with a season, phi when damped.</summary>
    [JsonIgnore]
    public int SmoothingParameterCount => 1 + (HasTrend ? 1 : 0) + (HasSeason ? 1 : 0) + (Damped ? 1 : 0);

    /// <summary>R's name, e.g. ETS(M,Ad,M).</summary>
    [JsonIgnore]
    public string Name => $"ETS({Letter(Error)},{Letter(Trend)}{(Damped ? "d" : "")},{Letter(Season)})";

    /// <summary>R's short name, e.g. MAdM.</summary>
    [JsonIgnore]
    public string Code => $"{Letter(Error)}{Letter(Trend)}{(Damped ? "d" : "")}{Letter(Season)}";

    public override string ToString() => Name;

    private static string Letter(EtsComponent component) => component switch
    {
        EtsComponent.Additive => "A",
        EtsComponent.Multiplicative => "M",
        _ => "N",
    };
}
