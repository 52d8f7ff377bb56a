namespace Forecasting.Training.Statistical;

/// <summary>
/// One model tried by <see cref="AutoSarima"/>: its AICc when it could be fitted, otherwise why not. A fit that
/// <see cref="AutoSarima"/> rejects (a root too near the unit circle) keeps its AICc and says why in <see cref="Failure"/>.
/// <see cref="Approximate"/>: the AICc is R's approximation from a conditional-sum-of-squares fit, used to compare
/// candidates on long series; the model finally chosen is always an exact fit, listed again without the flag.
/// </summary>
public sealed record AutoSarimaCandidate(SarimaSpec Spec, double? Aicc, string? Failure, bool Approximate = false)
{
    public bool Succeeded => Failure is null;
}
