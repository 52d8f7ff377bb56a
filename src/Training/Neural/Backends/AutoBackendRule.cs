namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// training.backend auto: torch when a batch's multiply-adds per time step reach a threshold that depends on
/// where torch runs and on how many threads each backend gets (docs/engine.md, "Backends" and "Data-parallel
/// training"). On a GPU from 1e7. On the CPU, when the managed engine may use as many threads as torch, never: in
/// the side-by-side run of 2026-11-26 (2 cores, both backends on both) the managed engine was the faster at every
/// size, from 2×LSTM(20) batch 32 (0.27 s/epoch against 6.10) to GRU(256) batch 512 (32 s on two threads against
/// more than 150). When torch has more threads than the managed engine (Training:ManagedThreads capped below it),
/// from 2e7, the figures (GRU(128) batch 512: torch 14.3 s with 2 threads vs managed 24.4 on one).
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
    public static double Threshold(string device, int torchThreads, int managedThreads) =>
        device == "cuda" ? 1e7 : torchThreads > managedThreads ? 2e7 : double.PositiveInfinity;
}
