using System.Text.Json.Serialization;

namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// One fitted ETS model: its parameters, all initial states (level, growth, m seasonal indices most recent first),
/// R's information criteria (log-likelihood up to R's constant) and the residual variance sum(e²)/(n − parameters),
/// which R's forecast intervals use.
/// </summary>
public sealed record EtsFit(
    EtsModel Model,
    EtsParameters Parameters,
    double[] InitialStates,
    int Observations,
    double LogLikelihood,
    double Aic,
    double Aicc,
    double Bic,
    double Sigma2)
{
    /// <summary>Estimated parameters: the smoothing parameters and the free initial states (the variance not counted, as R's length(par)).</summary>
    [JsonIgnore]
    public int ParameterCount => Model.SmoothingParameterCount + Model.FreeStateCount;

    /// <summary>The states after running the recursion over <paramref name="history"/> from the fitted initial states.</summary>
    public double[] FinalState(ReadOnlySpan<double> history)
    {
        var state = (double[])InitialStates.Clone();
        EtsRecursion.Run(Model, Parameters, state, history);
        return state;
    }
}
