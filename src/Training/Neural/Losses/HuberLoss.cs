namespace Forecasting.Training.Neural.Losses;

/// <summary>Keras Huber: ½d² for |d| ≤ δ, else δ(|d| − ½δ); δ = 1 by default.</summary>
public sealed class HuberLoss(float delta = 1f) : Loss
{
    public float Delta { get; } = delta;
    public override string Name => "huber";

    public override double Value(double diff)
    {
        var a = Math.Abs(diff);
        return a <= Delta ? 0.5 * diff * diff : Delta * (a - 0.5 * Delta);
    }

    public override float Derivative(float diff) => MathF.Abs(diff) <= Delta ? diff : Delta * MathF.Sign(diff);
}
