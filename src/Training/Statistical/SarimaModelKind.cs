using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary>
/// <c>sarima</c>: SARIMA(p,d,q)(P,D,Q,s) by exact Gaussian maximum likelihood, as statsmodels' ARIMA
/// (<c>order</c> [p,d,q], <c>seasonalOrder</c> [P,D,Q,s], optional <c>includeConstant</c>). With known-future columns
/// (<c>knownFuture</c>, <c>calendar</c>, <c>holidays</c>) it is regression with SARIMA errors, as statsmodels' ARIMA with
/// <c>exog</c> (<see cref="RegressorLayout"/>).
/// </summary>
public sealed class SarimaModelKind : StatisticalModelKind<SarimaForecaster>
{
    public override string Name => "sarima";

    protected override FitCost Cost => FitCost.Heavy;

    protected override bool TakesRegressors => true;

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("order", ModelFieldType.Integers, "[p, d, q]: autoregressive order, differences, moving-average order.") { Required = true, Example = new[] { 1, 0, 0 }, Minimum = 0 },
        new("seasonalOrder", ModelFieldType.Integers, "[P, D, Q, s]: the seasonal orders and the season length.") { Default = new[] { 0, 0, 0, 0 }, Example = new[] { 0, 1, 1, 7 }, Minimum = 0 },
        new("includeConstant", ModelFieldType.Boolean, "Include a constant term.") { Default = false },
    ];

    internal static SarimaSpec? SpecOf(ModelSpec model, Frequency frequency, List<FieldError>? errors)
    {
        if (model.Order is not { Count: 3 } order)
        {
            errors?.Add(new FieldError("model.order", "sarima needs order [p, d, q], e.g. [1, 0, 0]."));
            return null;
        }
        var seasonal = model.SeasonalOrder ?? [0, 0, 0, 0];
        if (seasonal.Count != 4)
        {
            errors?.Add(new FieldError("model.seasonalOrder", "seasonalOrder is [P, D, Q, s], e.g. [0, 1, 1, 7]."));
            return null;
        }
        if (order.Concat(seasonal).Any(v => v < 0))
        {
            errors?.Add(new FieldError("model.order", "Orders must not be negative."));
            return null;
        }
        return new SarimaSpec(order[0], order[1], order[2], seasonal[0], seasonal[1], seasonal[2], seasonal[3], model.IncludeConstant ?? false);
    }

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        var errors = new List<FieldError>();
        if (SpecOf(model, frequency, errors) is { } spec)
            errors.AddRange(SarimaInputValidator.Validate(spec, trainingLength).Select(m => new FieldError("model", m)));
        return errors;
    }

    protected override SarimaForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        new(SarimaEstimator.Fit(training, SpecOf(model, frequency, null)!, cancellationToken));

    protected override SarimaForecaster Fit(ReadOnlySpan<double> training, IReadOnlyList<double[]>? regressors, TrainingRunSpec spec, Frequency frequency,
        CancellationToken cancellationToken) =>
        regressors is null ? Fit(training, spec.Model, frequency, cancellationToken)
            : new(SarimaEstimator.Fit(training, SpecOf(spec.Model, frequency, null)! with { Regressors = regressors.Count }, regressors, cancellationToken: cancellationToken));

    // Every kept fit is saved with its standard errors: computed now, they release the likelihood they are computed from.
    protected override SarimaForecaster Kept(SarimaForecaster fit) => fit.WithStandardErrors();

    protected override int ParameterCount(SarimaForecaster fit) => fit.Fit.Spec.ParameterCount;

    protected override JsonElement SaveFit(SarimaForecaster fit) => JsonDocument.Parse(fit.Fit.Serialize()).RootElement.Clone();

    protected override SarimaForecaster LoadFit(JsonElement state) => new(SarimaFit.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state)));

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<SarimaForecaster>> fits) =>
        new Dictionary<string, object> { ["fits"] = fits.Select(f => new { series = f.Series, target = f.Target, fit = f.Fit.Describe() }).ToList() };
}
