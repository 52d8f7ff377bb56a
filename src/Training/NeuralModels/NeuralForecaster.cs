using System.Collections.Concurrent;
using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Training.Models;
using Forecasting.Training.Neural;
using Forecasting.Training.Neural.Serialization;

namespace Forecasting.Training.NeuralModels;

/// <summary>
/// A trained neural model: forecasts from a history (and known-future covariates), with MC-dropout
/// intervals when the model has dropout, otherwise Gaussian intervals from its per-step residual variance.
/// Saved as one safetensors file whose metadata holds the architecture and <see cref="NeuralModelState"/>.
/// </summary>
public sealed class NeuralForecaster(Network network, NeuralModelState state) : IFittedModel
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Copies of the network for concurrent forecasts: a network's inference buffers are locked per call, so
    /// requests served by one copy would queue behind each other on a single core.
    /// </summary>
    private readonly ConcurrentBag<Network> _replicas = [];

    private T WithReplica<T>(Func<Network, T> predict)
    {
        if (!_replicas.TryTake(out var replica)) replica = SafeTensors.LoadNetwork(SafeTensors.Save(network));
        try
        {
            return predict(replica);
        }
        finally
        {
            _replicas.Add(replica);
        }
    }

    public NeuralModelState State { get; internal set; } = state;

    public string Kind => State.Kind;

    public string StateFormat => SafeTensors.FormatName;

    public ConformalCalibration? Calibration => State.Calibration;

    public byte[] SaveState() => SafeTensors.Save(network, new Dictionary<string, string>
    {
        [NeuralModelState.MetadataKey] = JsonSerializer.Serialize(State, StateJson),
    });

    public static NeuralForecaster Load(byte[] bytes)
    {
        var metadata = SafeTensors.ReadMetadata(bytes);
        if (!metadata.TryGetValue(NeuralModelState.MetadataKey, out var json))
            throw new InvalidDataException("The stored weights carry no model state.");
        var state = JsonSerializer.Deserialize<NeuralModelState>(json, StateJson) ?? throw new InvalidDataException("Empty model state.");
        return new NeuralForecaster(SafeTensors.LoadNetwork(bytes), state);
    }

    /// <summary>MC-dropout passes per window when scoring a dropout model's validation and test periods.</summary>
    internal const int ScoringSamples = 50;

    /// <summary>
    /// Forecasts of every window's <c>horizon</c> steps that land in its series' period (data units), each with
    /// the model's spread: the standard deviation of <see cref="ScoringSamples"/> MC-dropout passes for a model
    /// with dropout, otherwise NaN (the caller sets the validation RMSE per step, in the series' unit under per-series scaling).
    /// </summary>
    internal List<ScoredForecast> Score(IReadOnlyList<Series> series, IReadOnlyList<float[]> featureRows, IReadOnlyList<IndexRange> ranges, WindowSet windows)
    {
        var horizon = State.Horizon;
        var k = State.Targets.Count;
        var rows = new List<ScoredForecast>();
        if (windows.Count == 0) return rows;
        var features = State.Features.Count;
        float KnownFuture(int w, int offset, int f)
        {
            var origin = windows.Origins[w];
            var index = (origin.Index + offset) * features + f;
            var source = featureRows[origin.Series];
            // Steps past the series' end are never scored; their inputs only feed later unscored steps.
            return index < source.Length ? source[index] : 0f;
        }
        var predictions = NeuralPredictor.Predict(State, network.Predict, windows.Inputs, windows.Count, horizon, KnownFuture);
        var scalers = series.Select(State.ScalerFor).ToList();
        var spreads = State.HasDropout ? SampleSpreads(windows, KnownFuture, scalers) : null;
        for (var w = 0; w < windows.Count; w++)
        {
            var origin = windows.Origins[w];
            var range = ranges[origin.Series];
            var scaler = scalers[origin.Series];
            for (var h = 0; h < horizon; h++)
            {
                var t = origin.Index + h + 1;
                if (t < range.Start || t >= range.End) continue;
                for (var j = 0; j < k; j++)
                {
                    var target = State.Targets[j];
                    var factors = scaler.For(target);
                    var predicted = factors.Undo(predictions[(w * horizon + h) * k + j]);
                    rows.Add(new ScoredForecast(target, h + 1, series[origin.Series][target][t], predicted,
                        spreads is null ? double.NaN : spreads[(w * horizon + h) * k + j], Series: series[origin.Series].Id));
                }
            }
        }
        return rows;
    }

    /// <summary>Standard deviation (data units) of MC-dropout passes per [window][step][target], in chunks of windows.</summary>
    private double[] SampleSpreads(WindowSet windows, NeuralPredictor.KnownFuture knownFuture, IReadOnlyList<Scaler> scalers)
    {
        var horizon = State.Horizon;
        var k = State.Targets.Count;
        var windowSize = windows.Steps * windows.Features;
        var result = new double[windows.Count * horizon * k];
        const int chunk = 64;
        for (var from = 0; from < windows.Count; from += chunk)
        {
            var count = Math.Min(chunk, windows.Count - from);
            var batch = new float[count * ScoringSamples * windowSize];
            for (var w = 0; w < count; w++)
                for (var s = 0; s < ScoringSamples; s++)
                    Array.Copy(windows.Inputs, (long)(from + w) * windowSize, batch, (long)(w * ScoringSamples + s) * windowSize, windowSize);
            var seed = from;
            var paths = WithReplica(replica => NeuralPredictor.Predict(State, data => replica.PredictSamples(data, 1, seed++)[0], batch, count * ScoringSamples, horizon,
                (lane, offset, f) => knownFuture(from + lane / ScoringSamples, offset, f)));
            for (var w = 0; w < count; w++)
                for (var h = 0; h < horizon; h++)
                    for (var j = 0; j < k; j++)
                    {
                        var factors = scalers[windows.Origins[from + w].Series].For(State.Targets[j]);
                        double sum = 0, sumSquares = 0;
                        for (var s = 0; s < ScoringSamples; s++)
                        {
                            var value = factors.Undo(paths[((w * ScoringSamples + s) * horizon + h) * k + j]);
                            sum += value;
                            sumSquares += value * value;
                        }
                        var mean = sum / ScoringSamples;
                        result[((from + w) * horizon + h) * k + j] = Math.Sqrt(Math.Max(0, (sumSquares / ScoringSamples - mean * mean) * ScoringSamples / (ScoringSamples - 1)));
                    }
        }
        return result;
    }

    /// <summary>One window through the engine's single-series path (matrix–vector products, no batch padding to 32).</summary>
    private float[] PredictOne(SequenceData data) => WithReplica(replica =>
    {
        var (outSteps, outFeatures) = replica.OutputShape(data.Steps);
        var output = new float[outSteps * outFeatures];
        replica.Predict(data.Inputs, output);
        return output;
    });

    /// <summary>A query made ready for the network: its series' scaler, its last window (scaled) and the interval method.</summary>
    private sealed record PreparedQuery(ForecastQuery Query, Scaler Scaler, float[] Window, IntervalMethod Method);

    private PreparedQuery Prepare(ForecastQuery query)
    {
        var length = State.WindowLength;
        var history = query.History;
        if (history.Length < length)
            throw new ForecastInputException($"This model reads windows of {length} steps; the history has {history.Length} observations before the origin.");
        var usesFuture = State.Features.Any(f => f.KnownFuture);
        if (usesFuture && (query.Future is null || query.Future.Length < query.Horizon))
            throw new ForecastInputException($"This model uses known-future covariates; supply their values for all {query.Horizon} forecast steps.");
        var scaler = State.ScalerFor(history);
        var rows = WindowBuilder.FeatureRows(history, State.Layout, scaler, query.Future);
        var features = State.Features.Count;
        var window = rows.AsSpan((history.Length - length) * features, length * features).ToArray();
        return new PreparedQuery(query, scaler, window, PredictionIntervals.Resolve(query.Method, State.Calibration));
    }

    /// <summary>The scaled known-future feature <paramref name="f"/> of the step <paramref name="offset"/> + 1 after the query's origin.</summary>
    private float FutureRow(PreparedQuery prepared, int offset, int f)
    {
        var feature = State.Features[f];
        var value = prepared.Query.Future![feature.Column][offset];
        return feature.Category is { } category ? (value == category ? 1f : 0f) : prepared.Scaler.For(feature.Column).Apply(value);
    }

    /// <summary>Whether the query's intervals come from MC-dropout passes (each query then samples with its own seeds).</summary>
    private bool Samples(PreparedQuery prepared) => State.HasDropout && (prepared.Query.Samples > 1 || prepared.Method == IntervalMethod.Conformal);

    public IReadOnlyList<TargetForecast> Forecast(ForecastQuery query, CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(query);
        var horizon = query.Horizon;
        float[]? paths = null;
        if (Samples(prepared))
        {
            if (query.Samples < 2)
                throw new ForecastInputException("Conformal intervals of a model with dropout scale the spread of MC-dropout passes; ask for at least 2 samples (default 100).");
            // MC dropout: `samples` copies of the window in one batch, each lane with its own dropout masks.
            var window = prepared.Window;
            var batch = new float[query.Samples * window.Length];
            for (var s = 0; s < query.Samples; s++) window.CopyTo(batch, s * window.Length);
            var seed = 0;
            paths = WithReplica(replica => NeuralPredictor.Predict(State, data => replica.PredictSamples(data, 1, seed++)[0], batch, query.Samples, horizon,
                (_, offset, f) => FutureRow(prepared, offset, f)));
            if (prepared.Method == IntervalMethod.Model)
                return State.Targets.Select((target, j) => PredictionIntervals.FromSamples(target, SampledValues(prepared, paths, j), query.Levels)).ToList();
        }
        var point = NeuralPredictor.Predict(State, PredictOne, prepared.Window, 1, horizon, (_, offset, f) => FutureRow(prepared, offset, f));
        return Answer(prepared, point, 0, paths);
    }

    /// <summary>
    /// The queries' forecasts with their windows through the network as one batch per horizon (the batched engine path),
    /// each equal to <see cref="Forecast"/>'s to float rounding; a query whose intervals sample MC-dropout passes is
    /// answered alone, as its passes are seeded per query.
    /// </summary>
    public IReadOnlyList<BatchForecast> ForecastBatch(IReadOnlyList<ForecastQuery> queries, CancellationToken cancellationToken = default)
    {
        var answers = new BatchForecast[queries.Count];
        var batched = new List<(int Index, PreparedQuery Prepared)>(queries.Count);
        for (var i = 0; i < queries.Count; i++)
        {
            try
            {
                var prepared = Prepare(queries[i]);
                if (Samples(prepared)) answers[i] = new BatchForecast(Forecast(queries[i], cancellationToken), null);
                else batched.Add((i, prepared));
            }
            catch (ForecastInputException e)
            {
                answers[i] = new BatchForecast(null, e.Message);
            }
        }
        foreach (var group in batched.GroupBy(b => b.Prepared.Query.Horizon))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lanes = group.ToList();
            var size = lanes[0].Prepared.Window.Length;
            var inputs = new float[lanes.Count * size];
            for (var lane = 0; lane < lanes.Count; lane++) lanes[lane].Prepared.Window.CopyTo(inputs, lane * size);
            var points = WithReplica(replica => NeuralPredictor.Predict(State, replica.Predict, inputs, lanes.Count, group.Key,
                (lane, offset, f) => FutureRow(lanes[lane].Prepared, offset, f)));
            for (var lane = 0; lane < lanes.Count; lane++)
                answers[lanes[lane].Index] = new BatchForecast(Answer(lanes[lane].Prepared, points, lane, null), null);
        }
        return answers;
    }

    /// <summary>MC-dropout paths of target <paramref name="j"/> per step, in data units.</summary>
    private double[][] SampledValues(PreparedQuery prepared, float[] sampled, int j)
    {
        var (horizon, k, samples) = (prepared.Query.Horizon, State.Targets.Count, prepared.Query.Samples);
        return Enumerable.Range(0, horizon).Select(h => Enumerable.Range(0, samples)
            .Select(s => prepared.Scaler.For(State.Targets[j]).Undo(sampled[(s * horizon + h) * k + j])).ToArray()).ToArray();
    }

    /// <summary>The forecasts of one query from its lane of the network's points (scaled), with model or conformal intervals.</summary>
    private List<TargetForecast> Answer(PreparedQuery prepared, float[] points, int lane, float[]? paths)
    {
        var (query, scaler) = (prepared.Query, prepared.Scaler);
        var (horizon, k) = (query.Horizon, State.Targets.Count);
        // Per-series scaling keeps the variance in units of each series' error spread: this series' is it times its spread².
        double[] ResidualVariance(int j)
        {
            var unit = State.SpreadUnit(query.History.Id, scaler, State.Targets[j]);
            return Enumerable.Range(0, horizon).Select(h => unit * unit *
                (h < State.ResidualVariance.Length ? State.ResidualVariance[h][j] : State.ResidualVariance[^1][j] * (h + 1))).ToArray();
        }
        var offset = lane * horizon * k;
        return State.Targets.Select((target, j) =>
        {
            var mean = Enumerable.Range(0, horizon).Select(h => scaler.For(target).Undo(points[offset + h * k + j])).ToArray();
            if (prepared.Method == IntervalMethod.Model) return PredictionIntervals.Gaussian(target, mean, ResidualVariance(j), query.Levels);
            var spread = paths is null
                ? ResidualVariance(j).Select(Math.Sqrt).ToArray()
                : SampledValues(prepared, paths, j).Select(StandardDeviation).ToArray();
            return PredictionIntervals.Conformal(target, mean, spread, State.Calibration!, query.Levels);
        }).ToList();
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
