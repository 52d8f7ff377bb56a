namespace Forecasting.Api.Backtests;

/// <summary>
/// A series the backtest's model could not forecast at some origins (too little history before them for its window,
/// or a series skipped in training): how many origins, and the first reason. Its other origins are scored as usual.
/// </summary>
public sealed record BacktestSkip(string Series, int Origins, string Reason);
