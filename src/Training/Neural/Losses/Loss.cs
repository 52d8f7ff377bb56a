using Forecasting.Domain;
using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Losses;

/// <summary>
/// A point-wise regression loss averaged over every output element of the real samples
/// (Keras: mean over the last axis, then over batch and time — the same overall mean).
/// Padding lanes contribute nothing and receive zero gradient.
/// </summary>
public abstract class Loss
{
    public abstract string Name { get; }

    /// <summary>Loss of one difference (prediction − target).</summary>
    public abstract double Value(double diff);

    /// <summary>d loss / d prediction for one difference.</summary>
    public abstract float Derivative(float diff);

    /// <summary>Mean loss over the first <paramref name="batch"/> lanes; writes dL/dpred into <paramref name="grad"/> when given.</summary>
    public double Compute(LaneTensor prediction, LaneTensor target, int batch, LaneTensor? grad) =>
        Compute(prediction, target, batch, grad, batch);

    /// <summary>
    /// As above, with the gradient of the mean over <paramref name="gradientBatch"/> samples: a slice of a larger
    /// batch (data-parallel training) writes its share of the whole batch's gradient. Returns the slice's mean loss.
    /// </summary>
    internal double Compute(LaneTensor prediction, LaneTensor target, int batch, LaneTensor? grad, int gradientBatch)
    {
        var lanes = prediction.Lanes;
        var rows = prediction.Steps * prediction.Features;
        var scale = 1f / (rows * gradientBatch);
        double sum = 0;
        var p = prediction.Data;
        var y = target.Data;
        for (var r = 0; r < rows; r++)
        {
            var o = r * lanes;
            sum += SumRow(p, y, o, batch, grad?.Data, scale);
            if (grad is not null) Array.Clear(grad.Data, o + batch, lanes - batch);
        }
        return sum / ((double)rows * batch);
    }

    /// <summary>
    /// Σ Value(p − y) over lanes [o, o + batch) of one row; writes Derivative(p − y)·scale into
    /// grad when given. A loss may override this with a vectorised loop that computes the same
    /// gradient bits (the sum may be added up in another order).
    /// </summary>
    protected virtual double SumRow(float[] p, float[] y, int o, int batch, float[]? grad, float scale)
    {
        double sum = 0;
        for (var b = 0; b < batch; b++)
        {
            var d = p[o + b] - y[o + b];
            sum += Value(d);
            if (grad is not null) grad[o + b] = Derivative(d) * scale;
        }
        return sum;
    }

    public static Loss Create(LossKind kind) => kind switch
    {
        LossKind.Mse => new MeanSquaredError(),
        LossKind.Mae => new MeanAbsoluteError(),
        LossKind.Huber => new HuberLoss(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
