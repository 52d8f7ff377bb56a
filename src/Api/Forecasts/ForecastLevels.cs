using System.Globalization;
using Forecasting.Domain;

namespace Forecasting.Api.Forecasts;

/// <summary>Interval levels are percentages in (0, 100); fractions (0.8 for 80 %) are refused with that hint rather than read as 0.8 %.</summary>
public static class ForecastLevels
{
    public static IEnumerable<FieldError> Check(IReadOnlyList<double> levels, int maxLevels)
    {
        if (levels.Count > maxLevels)
            yield return new FieldError("levels", $"{levels.Count} levels were asked for; at most {maxLevels} (Limits:MaxLevels).");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < levels.Count; i++)
        {
            var level = levels[i];
            if (!(level > 0 && level < 100))
                yield return new FieldError($"levels[{i}]", $"A level is a percentage strictly between 0 and 100; {level.ToString(CultureInfo.InvariantCulture)} is not.");
            else if (level < 1)
                yield return new FieldError($"levels[{i}]", $"Levels are percentages: {level.ToString(CultureInfo.InvariantCulture)} reads as a {level.ToString(CultureInfo.InvariantCulture)} % interval. For {(level * 100).ToString("0.##", CultureInfo.InvariantCulture)} % write {(level * 100).ToString("0.##", CultureInfo.InvariantCulture)}.");
            else if (!keys.Add(level.ToString("0.##", CultureInfo.InvariantCulture)))
                yield return new FieldError($"levels[{i}]", $"The level {level.ToString("0.##", CultureInfo.InvariantCulture)} is given twice.");
        }
    }
}
