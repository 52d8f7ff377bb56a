namespace Forecasting.Training.Neural.Losses;

/// <summary>Mean squared error: (p − y)².</summary>
public sealed class MeanSquaredError : Loss
{
    public override string Name => "mse";
    public override double Value(double diff) => diff * diff;
    public override float Derivative(float diff) => 2f * diff;
}
