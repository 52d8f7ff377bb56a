using Forecasting.Domain;

namespace Forecasting.Api.Models;

/// <summary>One series and target of a model: fitted by the kind, by the run's fallback (<c>method</c>), or skipped, and why.</summary>
public sealed record ModelSeriesResponse(string Series, string Target, SeriesStatus Status, string? Method, string? Reason);
