using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// What the rest of the service asks of a model kind, answered by the kind alone (<see cref="IModelKind.Traits"/>):
/// nothing else keeps a list of kind names or guesses a kind's family. Served by <c>GET /api/model-kinds</c>.
/// </summary>
public sealed record ModelKindTraits
{
    public required ModelFamily Family { get; init; }

    /// <summary>The work queue its runs and backtests wait in.</summary>
    public required WorkQueue Queue { get; init; }

    /// <summary>
    /// What one fit costs; a statistical job's fits weighted by it decide whether it waits in the bulk queue. The neural
    /// kinds have their own queue and leave it heavy.
    /// </summary>
    public FitCost FitCost { get; init; } = FitCost.Heavy;

    /// <summary>The <c>model</c> fields it reads; any other field is refused.</summary>
    public required IReadOnlyList<ModelField> Fields { get; init; }

    /// <summary>The strategies it can be trained for; the first is the one to offer by default.</summary>
    public required IReadOnlyList<ForecastStrategy> Strategies { get; init; }

    /// <summary>The layout of its stored state (<see cref="IFittedModel.StateFormat"/>).</summary>
    public required string StateFormat { get; init; }

    /// <summary>Whether the stored state is weight tensors (a safetensors file, served as the model's weights).</summary>
    public required bool HasWeightTensors { get; init; }

    /// <summary>Whether conformal intervals can be calibrated on a backtest (<c>intervals.calibration: backtest</c>): a refit is cheap.</summary>
    public required bool BacktestCalibration { get; init; }

    /// <summary>Whether training continues from saved weights (an interrupted run resumes from its checkpoint) rather than starting over.</summary>
    public required bool WarmStart { get; init; }

    /// <summary>Whether it reads known-future covariates (<c>knownFuture</c>).</summary>
    public required bool KnownFuture { get; init; }

    /// <summary>
    /// Whether it fits each series on its own, so a series it cannot fit gets the run's <c>fallback</c> (or is skipped)
    /// instead of failing the run; a global model trains on all series at once.
    /// </summary>
    public required bool PerSeriesFits { get; init; }
}
