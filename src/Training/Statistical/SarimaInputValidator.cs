namespace Forecasting.Training.Statistical;

/// <summary>
/// Checks orders and series before any work is done. <see cref="Validate(SarimaSpec, int)"/> needs only the
/// series length, so the service can call it before queuing a job.
/// </summary>
public static class SarimaInputValidator
{
    /// <summary>The largest order accepted for any of p, q, P, Q (and d, D).</summary>
    public const int MaxOrder = 10;

    /// <summary>Every problem with these orders for a series of this length, as sentences; empty when fine.</summary>
    public static IReadOnlyList<string> Validate(SarimaSpec spec, int seriesLength)
    {
        var errors = new List<string>();
        CheckOrder(errors, "AR order p", spec.ArOrder);
        CheckOrder(errors, "differencing order d", spec.Differences);
        CheckOrder(errors, "MA order q", spec.MaOrder);
        CheckOrder(errors, "seasonal AR order P", spec.SeasonalArOrder);
        CheckOrder(errors, "seasonal differencing order D", spec.SeasonalDifferences);
        CheckOrder(errors, "seasonal MA order Q", spec.SeasonalMaOrder);
        if (errors.Count > 0) return errors;

        if (spec.HasSeasonalTerms && spec.Season < 2)
            errors.Add($"The season length is {spec.Season}, but seasonal terms (P, D, Q) need a season of at least 2; set the season (e.g. 7 for daily data with a weekly cycle) or set P, D and Q to 0.");
        if (spec.Season > 10_000)
            errors.Add($"The season length {spec.Season} is too long; use a season of at most 10000 steps.");
        if (spec.IncludeConstant && spec.Differences + spec.SeasonalDifferences > 2)
            errors.Add("A constant with more than two rounds of differencing is not supported; drop the constant or difference less.");
        if (errors.Count > 0) return errors;

        if (seriesLength < spec.MinimumObservations)
            errors.Add($"{spec} needs at least {spec.MinimumObservations} observations but the series has {seriesLength}; provide a longer series or choose smaller orders.");
        return errors;
    }

    /// <summary>Throws <see cref="SarimaInputException"/> for the first problem with the orders or the values.</summary>
    public static void ThrowIfInvalid(SarimaSpec spec, ReadOnlySpan<double> series)
    {
        var errors = Validate(spec, series.Length);
        if (errors.Count > 0) throw new SarimaInputException(errors[0]);
        for (var t = 0; t < series.Length; t++)
            if (!double.IsFinite(series[t]))
                throw new SarimaInputException($"The series has a missing or non-finite value at position {t}; fill or remove missing values before fitting SARIMA.");
        var first = series[0];
        var constant = true;
        for (var t = 1; t < series.Length && constant; t++) constant = series[t] == first;
        if (constant)
            throw new SarimaInputException($"The series is constant (every value is {first}); SARIMA needs a series that varies.");
    }

    /// <summary>
    /// Throws <see cref="SarimaInputException"/> unless there is one regressor column per <see cref="SarimaSpec.Regressors"/>,
    /// each with a finite value for each of the <paramref name="observations"/>.
    /// </summary>
    public static void ThrowIfInvalid(SarimaSpec spec, IReadOnlyList<double[]>? regressors, int observations)
    {
        var count = regressors?.Count ?? 0;
        if (count != spec.Regressors)
            throw new SarimaInputException($"{spec} takes {spec.Regressors} regressor{(spec.Regressors == 1 ? "" : "s")}; {count} were given.");
        for (var j = 0; j < count; j++)
        {
            var x = regressors![j];
            if (x.Length < observations)
                throw new SarimaInputException($"Regressor {j + 1} has {x.Length} values for {observations} observations; give one per observation.");
            for (var t = 0; t < observations; t++)
                if (!double.IsFinite(x[t]))
                    throw new SarimaInputException($"Regressor {j + 1} has a missing or non-finite value at position {t}; regressors need a value at every observation.");
        }
    }

    private static void CheckOrder(List<string> errors, string name, int value)
    {
        if (value < 0) errors.Add($"The {name} is {value}; orders cannot be negative.");
        else if (value > MaxOrder) errors.Add($"The {name} is {value}; use at most {MaxOrder}.");
    }
}
