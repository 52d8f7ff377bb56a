namespace Forecasting.Domain;

/// <summary>A half-open range of positions [Start, End) in a series.</summary>
public readonly record struct IndexRange(int Start, int End)
{
    public int Length => End - Start;
    public bool IsEmpty => End <= Start;
}

/// <summary>The training, validation and test periods of one series.</summary>
public sealed record SeriesPeriods(IndexRange Train, IndexRange? Valid, IndexRange? Test);

/// <summary>
/// Maps a <see cref="SplitSpec"/> onto each series. Date bounds are inclusive and clipped to the series;
/// fractions split each series in time by its own length, or (<see cref="SplitBy.Series"/>) a panel's series
/// into whole training, validation and test series. Errors name the field.
/// </summary>
public static class SplitResolver
{
    public static (IReadOnlyDictionary<string, SeriesPeriods> Periods, IReadOnlyList<FieldError> Errors) Resolve(
        SplitSpec? split, Frequency frequency, IReadOnlyList<Series> series)
    {
        var errors = new List<FieldError>();
        var result = new Dictionary<string, SeriesPeriods>(StringComparer.Ordinal);
        if (split is null)
        {
            foreach (var s in series) result[s.Id] = new SeriesPeriods(new IndexRange(0, s.Length), null, null);
            return (result, errors);
        }
        if (split.IsFractional) return split.By == SplitBy.Series ? ResolveSeriesFractions(split, series) : ResolveFractions(split, series);
        if (split.By == SplitBy.Series)
        {
            errors.Add(new FieldError("split.by", "by: series holds out whole series by fractions (train, valid); a date split is always in time."));
            return (result, errors);
        }

        long? Bound(string field, string? text)
        {
            if (text is null) return null;
            if (frequency.TryParsePoint(text, out var ordinal)) return ordinal;
            errors.Add(new FieldError($"split.{field}", frequency == Frequency.Steps
                ? $"'{text}' is not a step number." : $"'{text}' is not a date (use ISO, e.g. 2019-01-31)."));
            return null;
        }

        var trainFrom = Bound("trainFrom", split.TrainFrom);
        var trainTo = Bound("trainTo", split.TrainTo);
        var validFrom = Bound("validFrom", split.ValidFrom);
        var validTo = Bound("validTo", split.ValidTo);
        var testFrom = Bound("testFrom", split.TestFrom);
        var testTo = Bound("testTo", split.TestTo);
        if (split.TrainTo is null) errors.Add(new FieldError("split.trainTo", "trainTo is required (or give fractions: train, valid)."));
        if (split.ValidTo is not null && split.ValidFrom is null) errors.Add(new FieldError("split.validFrom", "validTo was given without validFrom."));
        if (split.TestTo is not null && split.TestFrom is null) errors.Add(new FieldError("split.testFrom", "testTo was given without testFrom."));
        CheckOrder(errors, "trainFrom", trainFrom, "trainTo", trainTo);
        CheckOrder(errors, "validFrom", validFrom, "validTo", validTo);
        CheckOrder(errors, "testFrom", testFrom, "testTo", testTo);
        if (trainTo is not null && validFrom is not null && validFrom <= trainTo)
            errors.Add(new FieldError("split.validFrom", "The validation period must start after trainTo."));
        if (testFrom is not null && (validTo ?? validFrom ?? trainTo) is { } before && testFrom <= before)
            errors.Add(new FieldError("split.testFrom", "The test period must start after the training and validation periods."));
        if (errors.Count > 0) return (result, errors);

        foreach (var s in series)
        {
            var train = Clip(s, frequency, trainFrom, trainTo);
            var valid = validFrom is null ? (IndexRange?)null : Clip(s, frequency, validFrom, validTo ?? (testFrom is null ? null : frequency.Add(testFrom.Value, -1)));
            var test = testFrom is null ? (IndexRange?)null : Clip(s, frequency, testFrom, testTo);
            result[s.Id] = new SeriesPeriods(train, valid is { IsEmpty: true } ? null : valid, test is { IsEmpty: true } ? null : test);
        }
        if (result.Values.All(p => p.Train.IsEmpty))
            errors.Add(new FieldError("split.trainFrom", "The training period contains no observations of any series."));
        // A period asked for but outside the data would give a run without its metrics: refuse it, saying where the data are.
        if (series.Count > 0 && (validFrom is not null || testFrom is not null))
        {
            string Data() => $"the data run from {frequency.Format(series.Min(s => s.Start))} to {frequency.Format(series.Max(s => s.End(frequency)))}";
            if (validFrom is not null && result.Values.All(p => p.Valid is null))
                errors.Add(new FieldError("split.validFrom", $"The validation period contains no observations of any series; {Data()}."));
            if (testFrom is not null && result.Values.All(p => p.Test is null))
                errors.Add(new FieldError("split.testFrom", $"The test period contains no observations of any series; {Data()}."));
        }
        return (result, errors);
    }

    private static void CheckOrder(List<FieldError> errors, string fromName, long? from, string toName, long? to)
    {
        if (from is not null && to is not null && to < from)
            errors.Add(new FieldError($"split.{toName}", $"{toName} is before {fromName}."));
    }

    private static IndexRange Clip(Series s, Frequency frequency, long? from, long? to)
    {
        // Steps from the series start, rounded inward for points between steps (ceiling for a start bound,
        // floor for an end bound; C# division truncates toward zero, so each side needs its own correction),
        // clipped to [0, Length).
        long Position(long ordinal, bool roundUp)
        {
            var delta = ordinal - s.Start;
            var steps = delta / frequency.Stride;
            if (delta % frequency.Stride != 0)
            {
                if (roundUp && delta > 0) steps++;
                else if (!roundUp && delta < 0) steps--;
            }
            return steps;
        }
        var start = from is null ? 0 : Math.Max(0, Position(from.Value, roundUp: true));
        var end = to is null ? s.Length : Math.Min(s.Length, Position(to.Value, roundUp: false) + 1);
        return end <= start ? new IndexRange(0, 0) : new IndexRange((int)start, (int)end);
    }

    private static List<FieldError> CheckFractions(double train, double valid)
    {
        var errors = new List<FieldError>();
        if (train is <= 0 or > 1) errors.Add(new FieldError("split.train", "train must be a fraction in (0, 1]."));
        if (valid is < 0 or >= 1) errors.Add(new FieldError("split.valid", "valid must be a fraction in [0, 1)."));
        if (train + valid > 1 + 1e-9) errors.Add(new FieldError("split.valid", "train + valid must not exceed 1."));
        return errors;
    }

    /// <summary>Each series in time: its first train share trains, the next valid share validates, the rest tests.</summary>
    private static (IReadOnlyDictionary<string, SeriesPeriods>, IReadOnlyList<FieldError>) ResolveFractions(SplitSpec split, IReadOnlyList<Series> series)
    {
        var train = split.Train!.Value;
        var valid = split.Valid ?? 0;
        var errors = CheckFractions(train, valid);
        var result = new Dictionary<string, SeriesPeriods>(StringComparer.Ordinal);
        if (errors.Count > 0) return (result, errors);
        foreach (var s in series)
        {
            var trainEnd = (int)Math.Round(s.Length * train);
            var validEnd = Math.Min(s.Length, (int)Math.Round(s.Length * (train + valid)));
            result[s.Id] = new SeriesPeriods(
                new IndexRange(0, trainEnd),
                validEnd > trainEnd ? new IndexRange(trainEnd, validEnd) : null,
                s.Length > validEnd ? new IndexRange(validEnd, s.Length) : null);
        }
        if (result.Count > 0 && result.Values.All(p => p.Train.IsEmpty))
            errors.Add(new FieldError("split.train", "The train fraction leaves no training observations; raise it."));
        else if (valid > 0 && result.Count > 0 && result.Values.All(p => p.Valid is null))
            errors.Add(new FieldError("split.valid", "The valid fraction leaves no validation observations in any series; raise it."));
        return (result, errors);
    }

    /// <summary>Whole series, in order: the first train share of them trains, the next valid share validates, the rest test.</summary>
    private static (IReadOnlyDictionary<string, SeriesPeriods>, IReadOnlyList<FieldError>) ResolveSeriesFractions(SplitSpec split, IReadOnlyList<Series> series)
    {
        var train = split.Train!.Value;
        var valid = split.Valid ?? 0;
        var errors = CheckFractions(train, valid);
        var result = new Dictionary<string, SeriesPeriods>(StringComparer.Ordinal);
        if (errors.Count > 0) return (result, errors);
        if (series.Count < 2)
        {
            errors.Add(new FieldError("split.by", "by: series holds out whole series, but there is one series; split it in time (by: time)."));
            return (result, errors);
        }
        var trainCount = (int)Math.Round(series.Count * train);
        var validCount = Math.Min(series.Count - trainCount, (int)Math.Round(series.Count * valid));
        if (trainCount == 0)
            errors.Add(new FieldError("split.train", $"The train fraction leaves none of the {series.Count} series for training; raise it."));
        if (valid > 0 && validCount == 0)
            errors.Add(new FieldError("split.valid", $"The valid fraction leaves none of the {series.Count} series for validation; raise it."));
        if (errors.Count > 0) return (result, errors);
        for (var i = 0; i < series.Count; i++)
        {
            var all = new IndexRange(0, series[i].Length);
            result[series[i].Id] = i < trainCount ? new SeriesPeriods(all, null, null)
                : i < trainCount + validCount ? new SeriesPeriods(default, all, null)
                : new SeriesPeriods(default, null, all);
        }
        return (result, errors);
    }
}
