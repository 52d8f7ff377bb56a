using System.Globalization;
using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Transforms;

/// <summary>
/// The transform one series was fitted on, stored with its fit: Box-Cox with its λ (R's <c>BoxCox</c>/<c>InvBoxCox</c>)
/// or log1p. Forecasts are made on the transformed scale; interval bounds map back directly (the transform is
/// monotone, so quantiles map to quantiles) and the point is the back-transformed mean, a median on the original scale,
/// or with <see cref="BiasAdjust"/> R's approximate mean: y·(1 + σ²(1 − λ)/(2·y^(2λ))), σ² the transformed variance.
/// </summary>
public sealed record SeriesTransform(TransformKind Kind, double Lambda, bool BiasAdjust) : IBackTransform
{
    /// <summary>The request's transform for one series: λ as given, or Guerrero's on the training values (validated positive).</summary>
    public static SeriesTransform For(TransformSpec spec, ReadOnlySpan<double> training, int season) => spec.Kind switch
    {
        TransformKind.BoxCox => new SeriesTransform(TransformKind.BoxCox,
            spec.Lambda?.Value ?? GuerreroLambda.Estimate(training, season), spec.BiasAdjust ?? false),
        _ => new SeriesTransform(TransformKind.Log1p, 0, spec.BiasAdjust ?? false),
    };

    /// <summary>
    /// Why the request's transform cannot be applied to <paramref name="values"/>: the first value outside its domain,
    /// in the user's words (<paramref name="at"/> names the time point of an index); null when all are inside.
    /// </summary>
    public static string? WhyNotApplicable(TransformSpec spec, ReadOnlySpan<double> values, Func<int, string> at)
    {
        var (domain, inDomain) = Domain(spec.Kind, spec.Lambda);
        for (var i = 0; i < values.Length; i++)
            if (!inDomain(values[i]))
                return $"transform {Describe(spec)} needs {domain}, and the value at {at(i)} is {values[i].ToString(CultureInfo.InvariantCulture)}";
        return null;
    }

    /// <summary>The same check of a history against the fitted transform.</summary>
    public string? WhyNotApplicable(ReadOnlySpan<double> values, Func<int, string> at) =>
        WhyNotApplicable(new TransformSpec { Kind = Kind, Lambda = new BoxCoxLambda(Lambda) }, values, at);

    private static (string Domain, Func<double, bool> InDomain) Domain(TransformKind kind, BoxCoxLambda? lambda) => kind switch
    {
        TransformKind.Log1p => ("values above −1", v => v > -1),
        _ when lambda is null || lambda.IsAuto || lambda.Value <= 0 => ("positive values", v => v > 0),
        _ => ("non-negative values", v => v >= 0),
    };

    private static string Describe(TransformSpec spec) =>
        spec.Kind == TransformKind.Log1p ? "log1p" : $"boxcox with lambda {spec.Lambda}";

    /// <summary>The transformed values.</summary>
    public double[] Forward(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = Forward(values[i]);
        return result;
    }

    public double Forward(double value) => Kind switch
    {
        TransformKind.Log1p => double.LogP1(value),
        _ when Lambda == 0 => Math.Log(value),
        _ => (Math.Pow(value, Lambda) - 1) / Lambda,
    };

    /// <summary>
    /// R's <c>InvBoxCox</c>: sign(λz + 1)·|λz + 1|^(1/λ); for λ &lt; 0 a value at or above −1/λ has no preimage (the
    /// transform never reaches it): it maps to +∞, the bound R leaves undefined.
    /// </summary>
    public double Inverse(double transformed) => Kind switch
    {
        TransformKind.Log1p => double.ExpM1(transformed),
        _ when Lambda == 0 => Math.Exp(transformed),
        _ when Lambda < 0 && transformed >= -1 / Lambda => double.PositiveInfinity,
        _ => Math.Sign(Lambda * transformed + 1) * Math.Pow(Math.Abs(Lambda * transformed + 1), 1 / Lambda),
    };

    public double Point(double transformedMean, double transformedVariance)
    {
        var point = Inverse(transformedMean);
        if (!BiasAdjust) return point;
        // Box-Cox: R's InvBoxCox(biasadj = TRUE). log1p is Box-Cox λ = 0 of 1 + y: the adjustment applies to 1 + y.
        return Kind == TransformKind.Log1p
            ? (1 + point) * (1 + 0.5 * transformedVariance) - 1
            : point * (1 + 0.5 * transformedVariance * (1 - Lambda) / Math.Pow(point, 2 * Lambda));
    }

    /// <summary>A forecast made on the transformed scale, on the original one: points adjusted or not, every bound mapped back.</summary>
    public TargetForecast BackTransform(TargetForecast transformed, double[] variance) => transformed with
    {
        Mean = transformed.Mean.Select((m, k) => Point(m, variance[k])).ToArray(),
        Lower = transformed.Lower.ToDictionary(l => l.Key, l => l.Value.Select(Inverse).ToArray()),
        Upper = transformed.Upper.ToDictionary(u => u.Key, u => u.Value.Select(Inverse).ToArray()),
    };
}
