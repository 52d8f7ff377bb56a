using Forecasting.Domain;

namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// The models a request allows, from <c>model.ets</c> in R's notation (error, trend, season letters; Z = choose,
/// N none, A additive, M multiplicative; "Ad" a damped additive trend) and <c>model.damped</c>. A null component is
/// chosen by AICc.
/// </summary>
public sealed record EtsModelChoice(EtsComponent? Error, EtsComponent? Trend, bool? Damped, EtsComponent? Season)
{
    public static readonly EtsModelChoice Automatic = new(null, null, null, null);

    /// <summary>Every accepted value of <c>model.ets</c>.</summary>
    public static IReadOnlyList<string> Notations { get; } =
        [.. from e in new[] { "Z", "A", "M" } from t in new[] { "Z", "N", "A", "Ad" } from s in new[] { "Z", "N", "A", "M" } select e + t + s];

    /// <summary>Parses the notation; the error names the field and says what is wrong, in the request's terms.</summary>
    public static (EtsModelChoice? Choice, FieldError? Error) Parse(string? notation, bool? damped)
    {
        notation ??= "ZZZ";
        if (!Notations.Contains(notation, StringComparer.Ordinal))
            return (null, new FieldError("model.ets", $"ets must be three letters for error, trend and season in R's notation (error Z, A or M; trend Z, N, A or Ad for damped; season Z, N, A or M), e.g. \"ZZZ\" (choose all), \"AAN\" or \"MAdM\"; '{notation}' is not."));
        var trendLetters = notation.Length == 4 ? notation.Substring(1, 2) : notation.Substring(1, 1);
        var trendDamped = trendLetters == "Ad" ? true : (bool?)null;
        if (trendDamped == true && damped == false)
            return (null, new FieldError("model.damped", $"damped is false, but ets '{notation}' names a damped trend (Ad)."));
        var trend = Component(trendLetters[0]);
        if (trend == EtsComponent.None && damped == true)
            return (null, new FieldError("model.damped", $"damped is true, but ets '{notation}' has no trend to damp."));
        return (new EtsModelChoice(Component(notation[0]), trend, trendDamped ?? damped, Component(notation[^1])), null);
    }

    private static EtsComponent? Component(char letter) => letter switch
    {
        'N' => EtsComponent.None,
        'A' => EtsComponent.Additive,
        'M' => EtsComponent.Multiplicative,
        _ => null,
    };

    /// <summary>Whether the request fixes a multiplicative error or season, which need strictly positive data.</summary>
    public bool RequiresPositiveData => Error == EtsComponent.Multiplicative || Season == EtsComponent.Multiplicative;

    /// <summary>R's restriction: an additive error with a multiplicative season is unstable and not offered.</summary>
    public bool IsForbidden => Error == EtsComponent.Additive && Season == EtsComponent.Multiplicative;

    /// <summary>
    /// R's parameter count for its short-data rule (the model is refused when n ≤ count + 4): 2, + 2 with a fixed
    /// trend, + m with a fixed season, + 1 when damped.
    /// </summary>
    public int ParameterCountForShortData(int season) =>
        2 + (Trend is EtsComponent.Additive ? 2 : 0) + (Season is EtsComponent.Additive or EtsComponent.Multiplicative ? season : 0) + (Damped == true ? 1 : 0);
}
