namespace Forecasting.Training.Statistical.Ets;

/// <summary>The form of one ETS component (error, trend or season), as the letters N, A, M of R's ets().</summary>
public enum EtsComponent
{
    None,
    Additive,
    Multiplicative,
}
