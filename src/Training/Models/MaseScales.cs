using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// The MASE denominators of a run: per (series, target), the in-sample seasonal naive MAE over the series' training
/// period, at the frequency's season (R's accuracy() uses frequency(x) of the training series; 1 where non-seasonal).
/// </summary>
public sealed class MaseScales
{
    private readonly List<(string Series, string Target, double? Scale)> _scales = [];

    public int Season { get; }

    private MaseScales(int season) => Season = season;

    public static MaseScales For(TrainingInput input)
    {
        var scales = new MaseScales(input.Frame.Frequency.DefaultSeason);
        foreach (var series in input.Frame.Series)
        {
            if (!input.Periods.TryGetValue(series.Id, out var periods) || periods.Train.IsEmpty) continue;
            foreach (var target in input.Spec.Targets)
                scales._scales.Add((series.Id, target, ForecastErrorAccumulator.SeasonalNaiveScale(
                    series[target].AsSpan(periods.Train.Start, periods.Train.Length), scales.Season)));
        }
        return scales;
    }

    public void ApplyTo(ForecastErrorAccumulator accumulator)
    {
        foreach (var (series, target, scale) in _scales) accumulator.SetMaseScale(series, target, Season, scale);
    }
}
