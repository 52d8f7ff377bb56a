using Forecasting.Domain;

namespace Forecasting.Api.Schedules;

/// <summary>
/// Moves a date split forward as the data grows: trainFrom stays; trainTo, validFrom, validTo, testFrom and
/// testTo (those given) move by the number of steps the data's end moved since the schedule was created, so
/// every period keeps its length and the last one keeps ending where the data ends (or as far before it as it
/// did). Fraction splits (of each series in time, or of the panel's series) and no split already follow the data
/// and are returned unchanged.
/// </summary>
public static class SplitShift
{
    public static TrainingRunSpec Apply(TrainingRunSpec spec, Frequency frequency, long steps)
    {
        var split = spec.Split;
        if (split is null || split.IsFractional || steps == 0) return spec;
        string? Move(string? point) => point is not null && frequency.TryParsePoint(point, out var ordinal)
            ? frequency.Format(frequency.Add(ordinal, steps)) : point;
        return spec with
        {
            Split = split with
            {
                TrainTo = Move(split.TrainTo),
                ValidFrom = Move(split.ValidFrom),
                ValidTo = Move(split.ValidTo),
                TestFrom = Move(split.TestFrom),
                TestTo = Move(split.TestTo),
            },
        };
    }

    /// <summary>The last point of the series the spec trains on (all of the dataset's when it names none).</summary>
    public static long DataEnd(DatasetFrame frame, TrainingRunSpec spec)
    {
        var series = spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)) : frame.Series;
        return series.Max(s => s.End(frame.Frequency));
    }
}
