using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// A fitted model whose forecasts come back clipped to the training request's <c>bounds</c>: points, every interval
/// bound and so every quantile. Forecasts, forecasters and backtests all read models through it.
/// </summary>
public sealed class BoundedModel(IFittedModel inner, ForecastBounds bounds) : IFittedModel
{
    /// <summary>The model as served: bounded when the request declared bounds.</summary>
    public static IFittedModel Wrap(IFittedModel model, ForecastBounds? bounds) =>
        bounds is { Lower: not null } or { Upper: not null } ? new BoundedModel(model, bounds) : model;

    public string Kind => inner.Kind;

    public string StateFormat => inner.StateFormat;

    public ConformalCalibration? Calibration => inner.Calibration;

    public byte[] SaveState() => inner.SaveState();

    public IReadOnlyList<TargetForecast> Forecast(ForecastQuery query, CancellationToken cancellationToken = default) =>
        inner.Forecast(query, cancellationToken).Select(f => Clip(f, bounds)).ToList();

    public IReadOnlyList<BatchForecast> ForecastBatch(IReadOnlyList<ForecastQuery> queries, CancellationToken cancellationToken = default) =>
        inner.ForecastBatch(queries, cancellationToken).Select(a => a.Forecasts is null ? a : a with { Forecasts = a.Forecasts.Select(f => Clip(f, bounds)).ToList() }).ToList();

    public static TargetForecast Clip(TargetForecast forecast, ForecastBounds bounds) => forecast with
    {
        Mean = forecast.Mean.Select(bounds.Clip).ToArray(),
        Lower = forecast.Lower.ToDictionary(l => l.Key, l => l.Value.Select(bounds.Clip).ToArray()),
        Upper = forecast.Upper.ToDictionary(u => u.Key, u => u.Value.Select(bounds.Clip).ToArray()),
    };
}
