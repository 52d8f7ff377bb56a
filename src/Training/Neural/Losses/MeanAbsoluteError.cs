namespace Forecasting.Training.Neural.Losses;

/// <summary>Mean absolute error: |p − y| (sub-gradient 0 at 0, as TensorFlow's sign).</summary>
public sealed class MeanAbsoluteError : Loss
{
    public override string Name => "mae";
    public override double Value(double diff) => Math.Abs(diff);
    public override float Derivative(float diff) => MathF.Sign(diff);
}
