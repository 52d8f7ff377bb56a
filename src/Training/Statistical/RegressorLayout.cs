using Forecasting.Domain;

namespace Forecasting.Training.Statistical;

/// <summary>
/// The regressors a statistical model builds from the request's known-future columns (its <c>knownFuture</c>, then the
/// calendar and holiday columns), stored with the model so that a forecast builds the same ones. A numeric column is one
/// regressor; a categorical column is one-hot encoded with a dropped reference level, the level most common in the training
/// periods (ties: the first in the column's order; <see cref="References"/>). The reference must go: the indicators of all
/// levels add up to 1, a constant the model's level (its constant, or the differencing states) already carries, so with all
/// of them the coefficients would not be identified. Each coefficient is then the effect of its level against the usual one
/// (for CTA's day_type: Saturday, and Sunday or holiday, against a weekday).
/// </summary>
public sealed record RegressorLayout(IReadOnlyList<RegressorColumn> Columns, IReadOnlyDictionary<string, string> References)
{
    public int Count => Columns.Count;

    /// <summary>The layout of a request's known-future columns; null when it has none.</summary>
    public static RegressorLayout? For(TrainingRunSpec spec, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods)
    {
        if (spec.EffectiveKnownFuture is not { Count: > 0 } known) return null;
        var columns = new List<RegressorColumn>();
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in known.Distinct())
        {
            var column = frame.Column(name) ?? throw new ArgumentException($"The dataset has no column '{name}'.");
            if (column.Kind != ColumnKind.Categorical)
            {
                columns.Add(new RegressorColumn(name, null, name));
                continue;
            }
            var reference = MostCommonLevel(frame, spec, periods, name, column.Categories.Count);
            references[name] = column.Categories[reference];
            for (var c = 0; c < column.Categories.Count; c++)
                if (c != reference) columns.Add(new RegressorColumn(name, c, $"{name}={column.Categories[c]}"));
        }
        return new RegressorLayout(columns, references);
    }

    private static int MostCommonLevel(DatasetFrame frame, TrainingRunSpec spec, IReadOnlyDictionary<string, SeriesPeriods> periods, string column, int levels)
    {
        var counts = new long[levels];
        foreach (var series in frame.Series)
        {
            if (spec.Series is { Count: > 0 } ids && !ids.Contains(series.Id) || !periods.TryGetValue(series.Id, out var p)) continue;
            var values = series[column];
            for (var t = p.Train.Start; t < p.Train.End; t++)
                if (values[t] is var v && v >= 0 && v < levels && v == Math.Floor(v)) counts[(int)v]++;
        }
        var best = 0;
        for (var c = 1; c < levels; c++) if (counts[c] > counts[best]) best = c;
        return best;
    }

    /// <summary>
    /// The regressors' values at rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of
    /// <paramref name="series"/>, continued past its end by <paramref name="future"/> (its known-future rows, from any start);
    /// NaN where neither has a value.
    /// </summary>
    public double[][] Values(Series series, int start, int length, Series? future, Frequency frequency)
    {
        var result = new double[Columns.Count][];
        for (var j = 0; j < Columns.Count; j++)
        {
            var regressor = Columns[j];
            var own = series[regressor.Column];
            var ahead = future is not null && future.Columns.TryGetValue(regressor.Column, out var f) ? f : null;
            var values = result[j] = new double[length];
            for (var i = 0; i < length; i++)
            {
                var t = start + i;
                double raw;
                if (t < series.Length) raw = own[t];
                else if (ahead is not null && frequency.StepsBetween(future!.Start, frequency.Add(series.Start, t)) is var offset and >= 0 && offset < future.Length)
                    raw = ahead[offset];
                else raw = double.NaN;
                values[i] = regressor.Category is { } category && !double.IsNaN(raw) ? (raw == category ? 1 : 0) : raw;
            }
        }
        return result;
    }

    /// <summary>The first row in [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="values"/> (rows from <paramref name="start"/>) where a regressor has no value, with its column; null when none.</summary>
    public (string Column, int Row)? FirstMissing(double[][] values, int start, int from, int to)
    {
        for (var t = from; t < to; t++)
            for (var j = 0; j < Columns.Count; j++)
                if (!double.IsFinite(values[j][t - start])) return (Columns[j].Column, t);
        return null;
    }
}
