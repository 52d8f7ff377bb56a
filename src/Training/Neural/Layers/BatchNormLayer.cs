using Forecasting.Training.Neural.Core;

namespace Forecasting.Training.Neural.Layers;

/// <summary>
/// Keras BatchNormalization over the last axis. Training: statistics over batch × time of the
/// real samples (padding lanes excluded), moving averages updated with <see cref="Momentum"/>;
/// inference: the moving statistics. Parameters: <c>gamma</c>, <c>beta</c> (trainable),
/// <c>moving_mean</c>, <c>moving_variance</c> (saved, not trained).
/// </summary>
public sealed class BatchNormLayer : Layer
{
    private readonly Parameter _gamma;
    private readonly Parameter _beta;
    private readonly Parameter _movingMean;
    private readonly Parameter _movingVar;

    public BatchNormLayer(string name, int features, float momentum = 0.99f, float epsilon = 1e-3f) : base(name)
    {
        Features = features;
        Momentum = momentum;
        Epsilon = epsilon;
        _gamma = AddParameter("gamma", [features]);
        _beta = AddParameter("beta", [features]);
        _movingMean = AddParameter("moving_mean", [features], trainable: false);
        _movingVar = AddParameter("moving_variance", [features], trainable: false);
        Array.Fill(_gamma.Value, 1f);
        Array.Fill(_movingVar.Value, 1f);
    }

    public int Features { get; }
    public float Momentum { get; }
    public float Epsilon { get; }

    private sealed class State(LaneTensor output, int features) : LayerState(output)
    {
        public float[] Mean { get; } = new float[features];
        public float[] InvStd { get; } = new float[features];
        public bool UsedBatchStats { get; set; }
    }

    public override (int Steps, int Features) OutputShape(int steps, int features) => (steps, features);

    public override LayerState CreateState(int steps, int features, int lanes) => new State(new LaneTensor(steps, features, lanes), features);

    public override void Forward(LayerState state, LaneTensor input, RunMode mode)
    {
        var s = (State)state;
        var y = s.Output;
        var batch = mode.Batch;
        s.UsedBatchStats = mode.Training;
        for (var f = 0; f < Features; f++)
        {
            float mean, inv;
            if (mode.Training)
            {
                double sum = 0, sq = 0;
                for (var t = 0; t < input.Steps; t++)
                {
                    var o = input.Offset(t, f);
                    for (var b = 0; b < batch; b++) sum += input.Data[o + b];
                }
                var n = (double)input.Steps * batch;
                var m = sum / n;
                for (var t = 0; t < input.Steps; t++)
                {
                    var o = input.Offset(t, f);
                    for (var b = 0; b < batch; b++) { var d = input.Data[o + b] - m; sq += d * d; }
                }
                var variance = sq / n;
                mean = (float)m;
                inv = (float)(1.0 / Math.Sqrt(variance + Epsilon));
                _movingMean.Value[f] = Momentum * _movingMean.Value[f] + (1 - Momentum) * mean;
                _movingVar.Value[f] = Momentum * _movingVar.Value[f] + (1 - Momentum) * (float)variance;
            }
            else
            {
                mean = _movingMean.Value[f];
                inv = 1f / MathF.Sqrt(_movingVar.Value[f] + Epsilon);
            }
            s.Mean[f] = mean;
            s.InvStd[f] = inv;
            var g = _gamma.Value[f] * inv;
            var beta = _beta.Value[f];
            for (var t = 0; t < input.Steps; t++)
            {
                var o = input.Offset(t, f);
                for (var b = 0; b < input.Lanes; b++) y.Data[o + b] = (input.Data[o + b] - mean) * g + beta;
            }
        }
    }

    public override SeriesState CreateSeriesState(int steps, int features) => new(new SeriesTensor(steps, features));

    /// <summary>Inference on the moving statistics, computed as on the lane path.</summary>
    public override void ForwardSeries(SeriesState state, SeriesTensor input)
    {
        var y = state.Output;
        for (var f = 0; f < Features; f++)
        {
            var mean = _movingMean.Value[f];
            var g = _gamma.Value[f] * (1f / MathF.Sqrt(_movingVar.Value[f] + Epsilon));
            var beta = _beta.Value[f];
            for (var t = 0; t < input.Steps; t++) y.Data[y.Offset(t) + f] = (input.Data[input.Offset(t) + f] - mean) * g + beta;
        }
    }

    public override void Backward(LayerState state, LaneTensor input, LaneTensor gradOutput, LaneTensor? gradInput, RunMode mode)
    {
        var s = (State)state;
        var batch = mode.Batch;
        var n = (float)input.Steps * batch;
        gradInput?.Clear();
        for (var f = 0; f < Features; f++)
        {
            float mean = s.Mean[f], inv = s.InvStd[f], gamma = _gamma.Value[f];
            double sumDy = 0, sumDyXhat = 0;
            for (var t = 0; t < input.Steps; t++)
            {
                var o = input.Offset(t, f);
                for (var b = 0; b < batch; b++)
                {
                    var dy = gradOutput.Data[o + b];
                    sumDy += dy;
                    sumDyXhat += dy * (input.Data[o + b] - mean) * inv;
                }
            }
            _gamma.Grad[f] += (float)sumDyXhat;
            _beta.Grad[f] += (float)sumDy;
            if (gradInput is null) continue;
            for (var t = 0; t < input.Steps; t++)
            {
                var o = input.Offset(t, f);
                for (var b = 0; b < batch; b++)
                {
                    var dy = gradOutput.Data[o + b];
                    if (s.UsedBatchStats)
                    {
                        var xhat = (input.Data[o + b] - mean) * inv;
                        gradInput.Data[o + b] = gamma * inv / n * (n * dy - (float)sumDy - xhat * (float)sumDyXhat);
                    }
                    else gradInput.Data[o + b] = gamma * inv * dy;
                }
            }
        }
    }
}
