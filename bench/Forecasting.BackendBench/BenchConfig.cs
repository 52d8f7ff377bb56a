using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Data;

namespace Forecasting.BackendBench;

/// <summary>One benchmark configuration: an architecture, its synthetic data and batch size (the table).</summary>
internal sealed record BenchConfig(string Name, string Title, NetworkSpec Spec, int BatchSize, Func<int, (SequenceData Train, SequenceData Valid)> Data)
{
    private static (SequenceData, SequenceData) Seq2Seq(int series)
    {
        var valid = ValidCount(series);
        var values = SyntheticSeries.Generate(series + valid, 60, new Random(42));
        return (SyntheticSeries.Seq2Seq(values, 60, 0, series, 50, 10), SyntheticSeries.Seq2Seq(values, 60, series, valid, 50, 10));
    }

    private static (SequenceData, SequenceData) Long(int series)
    {
        var valid = ValidCount(series);
        var values = SyntheticSeries.Generate(series + valid, 210, new Random(42));
        return (SyntheticSeries.Seq2Vec(values, 210, 0, series, 200, 10), SyntheticSeries.Seq2Vec(values, 210, series, valid, 200, 10));
    }

    /// <summary>Validation series: 2,000 for 7,000 training series (the chapter), proportionally fewer down to 256 (the parity probe).</summary>
    private static int ValidCount(int series) => Math.Clamp(series * 2 / 7, 256, 2000);

    private static NetworkSpec Lstm2(int units) => new(1, [new LstmSpec(units, true), new LstmSpec(units, true), new DenseSpec(10)]);

    public static IReadOnlyList<BenchConfig> All { get; } =
    [
        new("chapter", "2×LSTM(20)→Dense(10) seq2seq, 50 steps, batch 32", Lstm2(20), 32, Seq2Seq),
        new("lstm128", "2×LSTM(128)→Dense(10) seq2seq, 50 steps, batch 256", Lstm2(128), 256, Seq2Seq),
        new("lstm256", "2×LSTM(256)→Dense(10) seq2seq, 50 steps, batch 256", Lstm2(256), 256, Seq2Seq),
        new("gru128", "GRU(128)→Dense(10), 200 steps, batch 512", new(1, [new GruSpec(128), new DenseSpec(10)]), 512, Long),
        new("gru256", "GRU(256)→Dense(10), 200 steps, batch 512", new(1, [new GruSpec(256), new DenseSpec(10)]), 512, Long),
    ];
}
