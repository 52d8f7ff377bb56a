using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// Where conformal intervals are calibrated: the validation period, and where it is shorter than a year, the end
/// of the training period (in-sample, with the fitted parameters) until the errors span a year. Error size follows
/// the seasons (CTA: winter storms and holidays), so a five-month validation period alone calibrates the rest of
/// the year too wide or too narrow.
/// </summary>
public static class CalibrationPeriod
{
    /// <summary>Steps in a year: 365 daily, 8,760 hourly, 52 weekly, 12 monthly; a plain step series gets none.</summary>
    public static int YearSteps(Frequency frequency) => frequency.Code switch { "D" => 365, "H" => 8760, "W" => 52, "M" => 12, _ => 0 };

    /// <summary>The training tail that completes the validation period to a year; null when there is no validation period or no tail is needed.</summary>
    public static IndexRange? TrainingTail(SeriesPeriods periods, Frequency frequency, int minimumHistory)
    {
        if (periods.Valid is not { IsEmpty: false } valid) return null;
        var missing = YearSteps(frequency) - valid.Length;
        if (missing <= 0) return null;
        var start = Math.Max(periods.Train.Start + minimumHistory, periods.Train.End - missing);
        return start < periods.Train.End ? new IndexRange(start, periods.Train.End) : null;
    }
}
