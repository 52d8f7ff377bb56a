using Forecasting.Domain;

namespace Forecasting.Api.Backtests;

/// <summary>What checking a backtest request found: the bad fields, and for a valid request how many origins it forecasts from.</summary>
public sealed record BacktestValidation(IReadOnlyList<FieldError> Errors, int Origins);
