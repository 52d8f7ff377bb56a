namespace Forecasting.Training.Statistical;

/// <summary>The serialised form of a <see cref="SarimaFit"/> (JSON). Standard errors are null where undefined.</summary>
internal sealed record SarimaFitState(
    string Format,
    SarimaSpec Spec,
    double[] Parameters,
    double?[]? StandardErrors,
    double LogLikelihood,
    int ObservationCount,
    int EffectiveObservations,
    double Scale,
    int Iterations,
    bool Converged)
{
    public const string CurrentFormat = "sarima-statespace/1";
}
