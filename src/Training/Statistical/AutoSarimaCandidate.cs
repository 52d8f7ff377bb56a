namespace Forecasting.Training.Statistical;

/// <summary>
/// One model tried by <see cref="AutoSarima"/>: its AICc when it could be fitted, otherwise why not. A fit that
/// <see cref="AutoSarima"/> rejects (a root too near the unit circle) keeps its AICc and says why in <see cref="Failure"/>.
/// </summary>
public sealed record AutoSarimaCandidate(SarimaSpec Spec, double? Aicc, string? Failure)
{
    public bool Succeeded => Failure is null;
}
