using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// The intermittent-demand kinds' checks: demand is never negative (anywhere in the series, as forecasts may start
/// anywhere in it), and each training period has at least 2 demands (R's <c>croston()</c> needs two to smooth).
/// </summary>
public abstract class IntermittentModelKind<TFit> : StatisticalModelKind<TFit> where TFit : IUnivariateForecaster
{
    /// <summary>Exponential smoothing of the demands, its constant fixed or found by a one-dimensional search: milliseconds.</summary>
    protected override FitCost Cost => FitCost.Light;

    /// <summary>A smoothing constant's field: a number in [0, 1].</summary>
    protected static ModelField Smoothing(string name, string description, double? defaultValue) =>
        new(name, ModelFieldType.Number, description) { Default = defaultValue, Minimum = 0, Maximum = 1 };

    /// <summary>The error for a smoothing constant outside [0, 1]; none when it is omitted or inside.</summary>
    protected static IEnumerable<FieldError> CheckSmoothing(string name, double? value)
    {
        if (value is { } v && !(v >= 0 && v <= 1)) yield return new FieldError($"model.{name}", $"{name} must be between 0 and 1; got {v}.");
    }

    protected override FieldError? ValidateData(ModelSpec model, Series series, string target, IndexRange training, Frequency frequency)
    {
        var values = series[target];
        var negative = Array.FindIndex(values, v => v < 0);
        if (negative >= 0)
            return new FieldError("targets", $"'{Name}' forecasts non-negative demand, but target '{target}' of series '{series.Id}' is {values[negative]} at {frequency.Format(frequency.Add(series.Start, negative))}.");
        var demands = IntermittentDemand.CountDemands(values.AsSpan(training.Start, training.Length));
        return demands < 2
            ? new FieldError("split", $"'{Name}' needs at least 2 non-zero demands in the training period; target '{target}' of series '{series.Id}' has {demands}.")
            : null;
    }
}
