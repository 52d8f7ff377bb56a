namespace Forecasting.Api.Datasets.Ingest;

/// <summary>Fills NaN holes in one column of one series by a <see cref="FillPolicy"/>.</summary>
internal static class MissingValueFiller
{
    /// <summary>
    /// Fills in place. Holes before the first observation take the first observed value under ffill and
    /// interpolate (there is nothing to carry forward), and 0 under zero. The column must hold one value at least.
    /// </summary>
    public static void Fill(double[] values, FillPolicy policy)
    {
        switch (policy)
        {
            case FillPolicy.Zero:
                for (var i = 0; i < values.Length; i++) if (double.IsNaN(values[i])) values[i] = 0;
                return;
            case FillPolicy.ForwardFill:
            {
                var last = FirstObserved(values);
                for (var i = 0; i < values.Length; i++)
                    if (double.IsNaN(values[i])) values[i] = last; else last = values[i];
                return;
            }
            case FillPolicy.Interpolate:
            {
                var previous = -1;
                for (var i = 0; i <= values.Length; i++)
                {
                    if (i < values.Length && double.IsNaN(values[i])) continue;
                    // Holes (previous, i): linear between the neighbours, or the nearest value at either end.
                    for (var j = previous + 1; j < i; j++)
                        values[j] = previous < 0 ? values[i]
                            : i == values.Length ? values[previous]
                            : values[previous] + (values[i] - values[previous]) * (j - previous) / (i - previous);
                    previous = i;
                }
                return;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(policy), policy, "No fill policy to apply.");
        }
    }

    private static double FirstObserved(double[] values)
    {
        foreach (var value in values) if (!double.IsNaN(value)) return value;
        throw new ArgumentException("The column has no observed value.", nameof(values));
    }
}
