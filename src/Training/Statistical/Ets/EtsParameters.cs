namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// The smoothing parameters in R's parameterisation: beta and gamma multiply the one-step error directly
/// (the growth moves by beta·e, so 0 &lt; beta &lt; alpha), phi is 1 for an undamped trend; beta and gamma are 0
/// when the model has no trend or season.
/// </summary>
public readonly record struct EtsParameters(double Alpha, double Beta, double Gamma, double Phi);
