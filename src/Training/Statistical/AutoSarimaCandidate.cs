namespace Forecasting.Training.Statistical;

/// <summary>One model tried by <see cref="AutoSarima"/>: its AICc when it could be fitted, otherwise why not.</summary>
public sealed record AutoSarimaCandidate(SarimaSpec Spec, double? Aicc, string? Failure)
{
    public bool Succeeded => Failure is null;
}
