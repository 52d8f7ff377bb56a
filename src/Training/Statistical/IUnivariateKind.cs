using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary>
/// A statistical kind seen as one method for one series: what <c>auto</c> chooses among and combines. Every
/// <see cref="StatisticalModelKind{TFit}"/> is one.
/// </summary>
public interface IUnivariateKind
{
    string Name { get; }

    ModelKindTraits Traits { get; }

    /// <summary>The kind's own checks of <paramref name="model"/> for a training span of <paramref name="trainingLength"/> observations.</summary>
    IEnumerable<FieldError> Check(ModelSpec model, Frequency frequency, int trainingLength);

    IUnivariateForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken);

    int CountParameters(IUnivariateForecaster fit);

    /// <summary>A fit of this kind as the kind stores it.</summary>
    JsonElement Save(IUnivariateForecaster fit);

    IUnivariateForecaster Load(JsonElement state);
}
