namespace Forecasting.Training.Statistical;

/// <summary>How far the likelihood is maximised.</summary>
public enum SarimaEstimation
{
    /// <summary>
    /// Reproduces statsmodels' default <c>fit()</c>: quasi-Newton on −loglike/nobs in statsmodels' own transformed
    /// coordinates (σ as √σ² in data units), stopping by scipy L-BFGS-B's defaults (max |gradient| ≤ 1e-5, relative
    /// decrease ≤ 1e7·ε, at most 50 iterations). On data of large magnitude the σ direction is so flat there that
    /// σ² stays near its starting value, as in statsmodels; this is what its published figures reflect.
    /// </summary>
    StatsmodelsDefault,

    /// <summary>Works in rescaled coordinates and iterates to a tight tolerance: the actual maximum-likelihood estimate.</summary>
    FullConvergence,
}
