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
    /// <summary>The training tail that completes the validation period to a year; null when there is no validation period or no tail is needed.</summary>
    public static IndexRange? TrainingTail(SeriesPeriods periods, Frequency frequency, int minimumHistory)
    {
        if (periods.Valid is not { IsEmpty: false } valid) return null;
        var missing = frequency.StepsPerYear - valid.Length; // a plain step series has no year
        if (missing <= 0) return null;
        var start = Math.Max(periods.Train.Start + minimumHistory, periods.Train.End - missing);
        return start < periods.Train.End ? new IndexRange(start, periods.Train.End) : null;
    }
}
