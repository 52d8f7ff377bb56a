using Forecasting.Domain;
using Forecasting.Training.Neural;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// Multi-step predictions for a batch of windows, in scaled units, laid out [window][step][target]:
/// one pass for direct and sequence-to-sequence models (the last step's outputs are the forecast), or
/// one pass per step for recursive models, each prediction appended as the next input row.
/// </summary>
internal static class NeuralPredictor
{
    /// <summary>
    /// The known-future feature value (scaled) of the row <paramref name="offset"/> steps after a window's
    /// last row — i.e. the covariate's value at origin + offset + 1.
    /// </summary>
    public delegate float KnownFuture(int window, int offset, int feature);

    /// <param name="pass">One forward pass over a batch: deterministic, or with dropout kept on (MC dropout).</param>
    public static float[] Predict(NeuralModelState state, Func<SequenceData, float[]> pass, float[] inputs, int count, int horizon, KnownFuture? knownFuture)
    {
        var k = state.Targets.Count;
        var steps = state.WindowLength;
        var features = state.Features.Count;
        var result = new float[count * horizon * k];
        if (state.Strategy != ForecastStrategy.Recursive)
        {
            var outSteps = state.Shape.OutSteps(steps);
            var outputs = state.Horizon * k;
            var output = pass(new SequenceData(inputs, count, steps, features));
            for (var w = 0; w < count; w++)
                Array.Copy(output, (w * outSteps + outSteps - 1) * outputs, result, w * horizon * k, horizon * k);
            return result;
        }

        var window = (float[])inputs.Clone();
        var rowLength = features;
        for (var h = 0; h < horizon; h++)
        {
            var output = pass(new SequenceData(window, count, steps, features));
            for (var w = 0; w < count; w++) Array.Copy(output, w * k, result, (w * horizon + h) * k, k);
            if (h == horizon - 1) break;
            for (var w = 0; w < count; w++)
            {
                var start = w * steps * rowLength;
                Array.Copy(window, start + rowLength, window, start, (steps - 1) * rowLength);
                var row = start + (steps - 1) * rowLength;
                for (var f = 0; f < features; f++)
                {
                    var feature = state.Features[f];
                    window[row + f] = feature.KnownFuture
                        ? knownFuture!(w, h + 1, f)
                        : output[w * k + IndexOf(state.Targets, feature.Column)];
                }
            }
        }
        return result;
    }

    private static int IndexOf(IReadOnlyList<string> targets, string column)
    {
        for (var j = 0; j < targets.Count; j++) if (targets[j] == column) return j;
        throw new InvalidOperationException($"Recursive input '{column}' is not a target.");
    }
}
