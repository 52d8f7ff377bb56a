using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Mstl;

/// <summary>
/// <c>mstl</c>: several seasonal periods, as R's <c>mstl()</c> and <c>stlf()</c>: the series is decomposed by iterated
/// STL into a trend, one seasonal component per period and a remainder; the seasonally adjusted series is forecast by a
/// non-seasonal ARIMA (<c>method: arima</c>, the default) or
/// exponential smoothing (<c>method: ets</c>, additive errors only), and each seasonal component continues its last cycle.
/// With known-future columns (method arima) the adjusted series is a regression with ARIMA errors on them, as R's
/// <c>stlf(method = "arima", xreg = X)</c>.
/// </summary>
public sealed class MstlModelKind : StatisticalModelKind<MstlForecaster>
{
    public override string Name => "mstl";

    protected override FitCost Cost => FitCost.Heavy;

    protected override bool TakesRegressors => true;

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("seasons", ModelFieldType.Integers, "The season lengths in steps, at least two, increasing, each less than half the training period; default [24, 168] hourly (day and week), [7, 365] daily (week and year); other frequencies must give them.") { Minimum = 2, Example = new[] { 48, 336 } },
        new("method", ModelFieldType.Choice, "How the seasonally adjusted series is forecast: arima (a non-seasonal ARIMA chosen stepwise by AICc, as stlf(method = \"arima\")) or ets (exponential smoothing with additive errors and no, linear or damped trend, by AICc).") { Default = MstlMethod.Arima.ToWire(), Choices = WireNames.All(typeof(MstlMethod)) },
    ];

    /// <summary>The seasons asked for, else the frequency's natural pair: a day and a week of hourly or minute data, a week and a year of days.</summary>
    private static IReadOnlyList<int>? SeasonsOf(ModelSpec model, Frequency frequency) =>
        model.Seasons ?? (frequency == Frequency.Hourly || Frequency.MinuteFrequencies.Contains(frequency) ? [frequency.DefaultSeason, 7 * frequency.DefaultSeason]
            : frequency == Frequency.Daily ? [7, 365]
            : null);

    private static MstlMethod MethodOf(ModelSpec model) => model.Method ?? MstlMethod.Arima;

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        if (SeasonsOf(model, frequency) is not { } seasons)
        {
            yield return new FieldError("model.seasons", $"mstl has no default seasons for frequency {frequency.Code}; give at least two, e.g. \"seasons\": [48, 336] for half-hourly data.");
            yield break;
        }
        if (seasons.Count < 2)
        {
            yield return new FieldError("model.seasons", $"mstl decomposes two or more seasons; {seasons.Count} {(seasons.Count == 1 ? "was" : "were")} given. For one season use ets, theta, auto_sarima or seasonal_naive with season.");
            yield break;
        }
        if (seasons.Any(s => s < 2))
        {
            yield return new FieldError("model.seasons", "Each season must be at least 2 steps.");
            yield break;
        }
        for (var i = 1; i < seasons.Count; i++)
            if (seasons[i] <= seasons[i - 1])
            {
                yield return new FieldError("model.seasons", $"Seasons must be given in increasing order without repeats; {seasons[i]} follows {seasons[i - 1]}.");
                yield break;
            }
        if (2 * seasons[^1] >= trainingLength)
            yield return new FieldError("model.seasons", $"The longest season ({seasons[^1]}) must be less than half the training period: STL needs more than two cycles of each season; the training period has {trainingLength} observations.");
    }

    protected override IEnumerable<FieldError> ValidateModel(TrainingRunSpec spec, Frequency frequency, int trainingLength)
    {
        foreach (var error in ValidateModel(spec.Model, frequency, trainingLength)) yield return error;
        if (spec.EffectiveKnownFuture.Count > 0 && MethodOf(spec.Model) == MstlMethod.Ets)
            yield return new FieldError("knownFuture", "mstl regresses the seasonally adjusted series on known-future columns with method arima only (as R's stlf with xreg); use method arima, or omit knownFuture, calendar and holidays.");
    }

    protected override MstlForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        MstlForecaster.Fit(training, SeasonsOf(model, frequency)!, MethodOf(model), cancellationToken);

    protected override MstlForecaster Fit(ReadOnlySpan<double> training, IReadOnlyList<double[]>? regressors, TrainingRunSpec spec, Frequency frequency,
        CancellationToken cancellationToken) =>
        MstlForecaster.Fit(training, regressors, SeasonsOf(spec.Model, frequency)!, MethodOf(spec.Model), cancellationToken);

    protected override int ParameterCount(MstlForecaster fit) => fit.ParameterCount;

    protected override JsonElement SaveFit(MstlForecaster fit) => JsonSerializer.SerializeToElement(new StoredFit(fit.Seasons, fit.Method, fit.Adjusted switch
    {
        SarimaForecaster arima => JsonDocument.Parse(arima.Fit.Serialize()).RootElement.Clone(),
        NonSeasonalEts ets => JsonSerializer.SerializeToElement(ets, StateJson),
        _ => throw new InvalidOperationException("Unknown adjusted-series model."),
    }, fit.Shares), StateJson);

    protected override MstlForecaster LoadFit(JsonElement state)
    {
        var stored = state.Deserialize<StoredFit>(StateJson) ?? throw new InvalidDataException("A stored 'mstl' fit is empty.");
        return stored.Method == MstlMethod.Ets
            ? new MstlForecaster(stored.Seasons, stored.Adjusted.Deserialize<NonSeasonalEts>(StateJson)!, stored.Shares)
            : new MstlForecaster(stored.Seasons, new SarimaForecaster(SarimaFit.Deserialize(JsonSerializer.SerializeToUtf8Bytes(stored.Adjusted))), stored.Shares);
    }

    /// <summary>A fit as stored: the seasons, the method and its model of the adjusted series (SARIMA's own format, or the ETS record).</summary>
    private sealed record StoredFit(IReadOnlyList<int> Seasons, MstlMethod Method, JsonElement Adjusted, MstlVarianceShares Shares);

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<MstlForecaster>> fits) =>
        new Dictionary<string, object>
        {
            ["fits"] = fits.Select(f => new
            {
                series = f.Series,
                target = f.Target,
                seasons = f.Fit.Seasons,
                seasonalWindows = f.Fit.Seasons.Select((_, i) => MstlDecomposition.SeasonalWindow(i)).ToList(),
                method = f.Fit.Method.ToWire(),
                adjustedModel = f.Fit.DescribeAdjusted(),
                varianceShares = new
                {
                    trend = f.Fit.Shares.Trend,
                    seasonal = f.Fit.Seasons.Select((s, i) => new { season = s, share = f.Fit.Shares.Seasonal[i] }).ToList(),
                    remainder = f.Fit.Shares.Remainder,
                },
            }).ToList(),
        };
}
