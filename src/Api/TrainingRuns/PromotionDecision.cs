namespace Forecasting.Api.TrainingRuns;

/// <summary>What a run's schedule decided when the run succeeded, and why; kept on the run and on the schedule.</summary>
public sealed record PromotionDecision(
    Guid RunId, Guid ModelId, string Policy, bool Promoted, double? ValidMae,
    Guid? PreviousModelId, double? PreviousValidMae, string Reason, DateTimeOffset DecidedAt);
