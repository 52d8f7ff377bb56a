using System.Text.Json;
using Forecasting.Api.Http;

namespace Forecasting.Api.Backtests;

/// <summary>
/// A backtest's completed origins (the first <see cref="Done"/>) and their forecasts in order: a taken-over backtest
/// continues after them, refitting its model at the last refit origin, and adds up its metrics from all forecasts.
/// Stored as the forecasts' API JSON (ApiJson.Options); doubles round-trip exactly. <see cref="Skipped"/>: the series not
/// forecast at some of those origins (absent in checkpoints written before it existed).
/// </summary>
public sealed record BacktestCheckpoint(int Done, IReadOnlyList<BacktestForecast> Forecasts, IReadOnlyList<BacktestSkip>? Skipped = null)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ApiJson.Options);

    /// <summary>Null when the bytes are not a backtest checkpoint (then the backtest starts again).</summary>
    public static BacktestCheckpoint? FromBytes(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<BacktestCheckpoint>(bytes, ApiJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
