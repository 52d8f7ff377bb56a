namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// training.backend auto: torch when a batch's multiply-adds per time step reach a threshold that depends on
/// where torch runs and on how many threads each backend gets (docs/engine.md, "Backends" and "Data-parallel
/// training"). On a GPU from 1e7. On the CPU from 2e7, and only when torch has at least four times the managed
/// engine's threads (Training:ManagedThreads capped low): at equal threads, or half as many, the data-parallel managed
/// engine was the faster at every size measured; with a quarter or fewer, torch was, from 2.5e7 (docs/engine.md has
/// the figures).
/// </summary>
public static class AutoBackendRule
{
    /// <summary>Multiply-adds per time step for a whole batch (forward only), summed over layers.</summary>
    public static double Work(NetworkSpec spec, int batchSize)
    {
        double perSample = 0;
        var features = spec.InputFeatures;
        foreach (var layer in spec.Layers)
        {
            (double macs, features) = layer switch
            {
                DenseSpec d => ((double)features * d.Units, d.Units),
                SimpleRnnSpec r => ((double)r.Units * (features + r.Units), r.Units),
                LayerNormSimpleRnnSpec r => ((double)r.Units * (features + r.Units), r.Units),
                LstmSpec r => (4.0 * r.Units * (features + r.Units), r.Units),
                GruSpec r => (3.0 * r.Units * (features + r.Units), r.Units),
                Conv1DSpec c => ((double)c.Filters * features * c.KernelSize / c.Strides, c.Filters),
                WaveNetSpec w => ((double)w.Filters * features + w.Dilations.Length * 3.0 * w.Filters * w.Filters * w.KernelSize + (double)w.Filters * w.Filters, w.Filters),
                FlattenSpec => (0.0, features * (spec.InputSteps ?? 1)),
                _ => (0.0, features),
            };
            perSample += macs;
        }
        return perSample * batchSize;
    }

    /// <summary>The work from which torch is chosen (infinity: never on its own).</summary>
    public static double Threshold(TrainingDevice device, int torchThreads, int managedThreads) =>
        device == TrainingDevice.Cuda ? 1e7 : torchThreads >= 4 * managedThreads ? 2e7 : double.PositiveInfinity;
}
