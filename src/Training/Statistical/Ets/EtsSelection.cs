namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// R's ets() model choice: fit every model the request allows and keep the lowest AICc. Errors A and M, trends N and
/// A (multiplicative trends excluded, R's allow.multiplicative.trend = FALSE), damped and not, seasons N, A and M;
/// never an additive error with a multiplicative season (R's restrict = TRUE); multiplicative errors and seasons
/// only for strictly positive data; seasons only when the period is at least 2 and the series longer than it.
/// </summary>
public static class EtsSelection
{
    public static (EtsFit Best, IReadOnlyList<EtsCandidate> Candidates) Select(ReadOnlySpan<double> y, EtsModelChoice choice, int period, CancellationToken cancellationToken = default)
    {
        var positive = true;
        foreach (var v in y) if (!(v > 0)) { positive = false; break; }
        var seasonal = period >= 2 && y.Length > period;
        EtsComponent[] errors = choice.Error is { } e ? [e] : [EtsComponent.Additive, EtsComponent.Multiplicative];
        EtsComponent[] trends = choice.Trend is { } t ? [t] : [EtsComponent.None, EtsComponent.Additive];
        EtsComponent[] seasons = choice.Season is { } s ? [s] : seasonal ? [EtsComponent.None, EtsComponent.Additive, EtsComponent.Multiplicative] : [EtsComponent.None];
        bool[] dampings = choice.Damped is { } d ? [d] : [true, false];
        EtsFit? best = null;
        var candidates = new List<EtsCandidate>();
        foreach (var error in errors)
            foreach (var trend in trends)
                foreach (var season in seasons)
                    foreach (var damped in dampings)
                    {
                        if (trend == EtsComponent.None && damped) continue;
                        if (error == EtsComponent.Additive && season == EtsComponent.Multiplicative) continue;
                        if (!positive && (error == EtsComponent.Multiplicative || season == EtsComponent.Multiplicative)) continue;
                        if (season != EtsComponent.None && !seasonal) continue;
                        cancellationToken.ThrowIfCancellationRequested();
                        var model = new EtsModel(error, trend, damped, season, season == EtsComponent.None ? 1 : period);
                        var fit = EtsEstimation.Fit(model, y, cancellationToken);
                        var aicc = fit is not null && double.IsFinite(fit.Aicc) ? fit.Aicc : (double?)null;
                        candidates.Add(new EtsCandidate(model.Code, aicc));
                        if (aicc is not null && (best is null || aicc < best.Aicc)) best = fit;
                    }
        if (best is null)
            throw new InvalidOperationException($"No ETS model could be fitted to a series of {y.Length} observations ({string.Join(", ", candidates.Select(c => c.Model))} tried).");
        return (best, candidates);
    }
}
