namespace Forecasting.Domain.Windows;

/// <summary>
/// Per-column affine scaling, <c>scaled = (value − offset) / scale</c>, fitted on the training split only
/// (divide: offset 0, scale = by; standard: mean and standard deviation; none: identity). Every metric and
/// forecast is unscaled before it leaves the model.
/// </summary>
public sealed record Scaler(IReadOnlyDictionary<string, ScaleFactors> Columns)
{
    public static readonly Scaler Identity = new(new Dictionary<string, ScaleFactors>());

    public ScaleFactors For(string column) => Columns.TryGetValue(column, out var factors) ? factors : ScaleFactors.Identity;

    public static Scaler Fit(ScalingSpec? spec, IEnumerable<string> numericColumns, IReadOnlyList<Series> series, IReadOnlyDictionary<string, SeriesPeriods> periods)
    {
        var kind = (spec?.Kind ?? ScalingKind.None).ToWire();
        var columns = new Dictionary<string, ScaleFactors>();
        foreach (var column in numericColumns.Distinct())
        {
            columns[column] = kind switch
            {
                "none" => ScaleFactors.Identity,
                "divide" => new ScaleFactors(0, spec!.By ?? 1),
                "standard" => Standard(column, series, periods),
                _ => throw new ArgumentException($"Unknown scaling '{kind}': use none, divide or standard."),
            };
        }
        return new Scaler(columns);
    }

    private static ScaleFactors Standard(string column, IReadOnlyList<Series> series, IReadOnlyDictionary<string, SeriesPeriods> periods)
    {
        double sum = 0, sumSquares = 0;
        long n = 0;
        foreach (var s in series)
        {
            if (!periods.TryGetValue(s.Id, out var p) || p.Train.IsEmpty) continue;
            foreach (var v in s[column].AsSpan(p.Train.Start, p.Train.Length)) { sum += v; sumSquares += v * v; n++; }
        }
        if (n == 0) return ScaleFactors.Identity;
        var mean = sum / n;
        var std = Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean));
        return new ScaleFactors(mean, std > 1e-12 ? std : 1);
    }
}

public sealed record ScaleFactors(double Offset, double Scale)
{
    public static readonly ScaleFactors Identity = new(0, 1);

    public float Apply(double value) => (float)((value - Offset) / Scale);

    public double Undo(double scaled) => scaled * Scale + Offset;
}
