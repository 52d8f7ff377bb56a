using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Intermittent;

/// <summary>
/// <c>croston</c>: Croston's method for intermittent demand, classic (R's <c>croston()</c>) or with the
/// Syntetos–Boylan correction (<c>variant: "sba"</c>). One kind with a variant rather than two kinds: both smooth the
/// same two series with the same constant and differ by a factor, as R's later <c>croston(type = ...)</c> puts it.
/// α is fixed (R's default 0.1), not optimised.
/// </summary>
public sealed class CrostonModelKind : IntermittentModelKind<CrostonModel>
{
    /// <summary>R's <c>croston()</c> default.</summary>
    public const double DefaultAlpha = 0.1;

    public override string Name => "croston";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        Smoothing("alpha", "The smoothing constant of demand sizes and of intervals between demands (fixed, as R's croston()).", DefaultAlpha),
        new("variant", ModelFieldType.Choice, "classic (Croston 1972) or sba (Syntetos–Boylan: the classic forecast times 1 − alpha/2, which removes its upward bias).")
            { Default = "classic", Choices = WireNames.All(typeof(CrostonVariant)) },
    ];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength) =>
        CheckSmoothing("alpha", model.Alpha);

    protected override CrostonModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        CrostonModel.Fit(training, model.Alpha ?? DefaultAlpha, model.Variant ?? CrostonVariant.Classic);

    /// <summary>The smoothed demand size and the smoothed interval.</summary>
    protected override int ParameterCount(CrostonModel fit) => 2;
}
