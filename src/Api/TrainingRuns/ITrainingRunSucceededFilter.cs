using Forecasting.Persistence;
using Forecasting.Persistence.Entities;

namespace Forecasting.Api.TrainingRuns;

/// <summary>
/// Behaviour added to a training run's success, as a filter (a schedule's promotion is one): called as the run
/// publishes its model, on the executor's context, so what it changes there is saved with the model and the run's
/// success. A filter that throws is logged; the run succeeds whatever happens here.
/// </summary>
public interface ITrainingRunSucceededFilter
{
    Task OnSucceededAsync(ForecastingDbContext db, TrainingRunEntity run, ModelEntity model, CancellationToken cancellationToken);
}
