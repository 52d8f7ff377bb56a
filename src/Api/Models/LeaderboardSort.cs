using System.Globalization;
using Forecasting.Api.Jobs;
using Forecasting.Domain;

namespace Forecasting.Api.Models;

/// <summary>A metric models are ranked by, lowest first: "validation.mae", "test.rmse", "validation.mase", "validation.intervalScore.80".</summary>
public sealed record LeaderboardSort(bool Test, string Metric, string? Level)
{
    private static readonly string[] Errors = ["mae", "rmse", "mse", "mape", "wape", "mase"];

    public static bool TryParse(string text, out LeaderboardSort? sort)
    {
        sort = null;
        var parts = text.Split('.', 3);
        if (parts.Length < 2 || parts[0] is not ("validation" or "test")) return false;
        var metric = parts[1].ToLowerInvariant();
        if (parts.Length == 2 && Errors.Contains(metric)) sort = new LeaderboardSort(parts[0] == "test", metric, null);
        else if (parts.Length == 3 && metric == "intervalscore" && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var level) && level is > 0 and < 100)
            sort = new LeaderboardSort(parts[0] == "test", metric, ForecastErrorAccumulator.LevelKey(level));
        return sort is not null;
    }

    /// <summary>The model's figure (of <paramref name="target"/> when given, else the targets' average); null when it has none.</summary>
    public double? Value(ModelMetrics metrics, string? target)
    {
        var set = Test ? metrics.Test : metrics.Validation;
        if (set is null) return null;
        if (target is not null)
        {
            if (!set.ByTarget.TryGetValue(target, out var t)) return null;
            return Pick(t.Mae, t.Rmse, t.Mse, t.Mape, t.Wape, t.Mase, t.IntervalScore);
        }
        return Pick(set.Mae, set.Rmse, set.Mse, set.Mape, set.Wape, set.Mase, set.IntervalScore);
    }

    private double? Pick(double mae, double rmse, double mse, double? mape, double? wape, double? mase, IReadOnlyDictionary<string, double>? intervalScore) => Metric switch
    {
        "mae" => mae,
        "rmse" => rmse,
        "mse" => mse,
        "mape" => mape,
        "wape" => wape,
        "mase" => mase,
        _ => intervalScore is not null && intervalScore.TryGetValue(Level!, out var score) ? score : null,
    };
}
