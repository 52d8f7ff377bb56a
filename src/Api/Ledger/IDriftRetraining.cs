namespace Forecasting.Api.Ledger;

/// <summary>The schedules' seam for drift rules with onDrift "retrain": fires the forecaster's schedule now.</summary>
public interface IDriftRetraining
{
    /// <summary>Queues the forecaster's schedule's training run and returns its id; throws with the reason when it cannot.</summary>
    Task<Guid> RetrainAsync(Guid forecasterId, CancellationToken cancellationToken);
}
