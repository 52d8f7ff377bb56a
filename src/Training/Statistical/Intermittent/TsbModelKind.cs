using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// <c>tsb</c>: Teunter–Syntetos–Babai, demand size and demand probability smoothed separately (StatsForecast's
/// <c>TSB(alpha_d = alpha, alpha_p = beta)</c>). Both constants are fixed; they default to Croston's 0.1.
/// </summary>
public sealed class TsbModelKind : IntermittentModelKind<TsbModel>
{
    public const double DefaultAlpha = 0.1, DefaultBeta = 0.1;

    public override string Name => "tsb";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        Smoothing("alpha", "The smoothing constant of demand sizes, updated when a demand occurs (StatsForecast's alpha_d).", DefaultAlpha),
        Smoothing("beta", "The smoothing constant of the probability of a demand, updated every step (StatsForecast's alpha_p).", DefaultBeta),
    ];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength) =>
        CheckSmoothing("alpha", model.Alpha).Concat(CheckSmoothing("beta", model.Beta));

    protected override TsbModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        TsbModel.Fit(training, model.Alpha ?? DefaultAlpha, model.Beta ?? DefaultBeta);

    /// <summary>The smoothed demand size and the smoothed probability.</summary>
    protected override int ParameterCount(TsbModel fit) => 2;
}
