namespace Forecasting.Training.Statistical;

/// <summary>The model <see cref="AutoSarima"/> chose (lowest AICc) and the score or failure of every candidate.</summary>
public sealed record AutoSarimaResult(SarimaFit Best, IReadOnlyList<AutoSarimaCandidate> Candidates)
{
    public SarimaSpec BestSpec => Best.Spec;
}
