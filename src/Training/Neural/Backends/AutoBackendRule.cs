namespace Forecasting.Training.Neural.Backends;

/// <summary>
/// training.backend auto: torch when a batch's multiply-adds per time step reach a threshold that depends on
/// where torch runs and on how many threads each backend gets. Derived from the measurements in docs/engine.md
/// ("Backends", "Data-parallel training"): torch's fixed cost per operation dominates small models (2×LSTM(20),
/// batch 32: managed 0.17 s/epoch, torch 0.61); with more threads than the managed engine its products win on large
/// ones (2×LSTM(128), batch 256: managed 7.3 on one core, torch 5.3 with 2 threads); given the same cores, the
/// data-parallel managed engine keeps the mid-sized ones and torch wins only on the largest.
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

    /// <summary>
    /// The work from which torch is chosen: 1e7 on a GPU; on the CPU 2e7 when torch has more threads than the managed
    /// engine trains on (GRU(128) batch 512 ≈ 2.6e7: torch 14.3 s with 2 threads vs managed 24.4 on one), else 1e8
    /// (one thread each: 2×LSTM(256) batch 256 ≈ 2e8, torch 26.0 vs managed 30.7, and 2×LSTM(128) batch 256 ≈ 5e7,
    /// managed 7.3 vs 9.0; two each: docs/engine.md, "Data-parallel training").
    /// </summary>
    public static double Threshold(string device, int torchThreads, int managedThreads) =>
        device == "cuda" ? 1e7 : torchThreads > managedThreads ? 2e7 : 1e8;
}
