namespace Forecasting.Training.Neural;

/// <summary>
/// Windows as the service builds them, sample-major: inputs [count][steps][features] and
/// optional targets [count][targetSteps][targetFeatures] (targetSteps = 1 for seq2vec).
/// The engine converts to its time-major lane layout internally.
/// </summary>
public sealed class SequenceData
{
    public SequenceData(float[] inputs, int count, int steps, int features, float[]? targets = null, int targetSteps = 1, int targetFeatures = 1)
    {
        if (inputs.Length != count * steps * features)
            throw new ArgumentException($"inputs hold {inputs.Length} floats, expected {count}×{steps}×{features}");
        if (targets is not null && targets.Length != count * targetSteps * targetFeatures)
            throw new ArgumentException($"targets hold {targets.Length} floats, expected {count}×{targetSteps}×{targetFeatures}");
        Inputs = inputs;
        Count = count;
        Steps = steps;
        Features = features;
        Targets = targets;
        TargetSteps = targetSteps;
        TargetFeatures = targetFeatures;
    }

    public float[] Inputs { get; }
    public int Count { get; }
    public int Steps { get; }
    public int Features { get; }
    public float[]? Targets { get; }
    public int TargetSteps { get; }
    public int TargetFeatures { get; }

    /// <summary>Rows [start, start + count) as a new data set (copies).</summary>
    public SequenceData Slice(int start, int count)
    {
        var inputs = Inputs.AsSpan(start * Steps * Features, count * Steps * Features).ToArray();
        var targets = Targets?.AsSpan(start * TargetSteps * TargetFeatures, count * TargetSteps * TargetFeatures).ToArray();
        return new SequenceData(inputs, count, Steps, Features, targets, TargetSteps, TargetFeatures);
    }
}
