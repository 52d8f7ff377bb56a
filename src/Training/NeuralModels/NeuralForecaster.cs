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

    /// <summary>
    /// Metrics (data units) of forecasting every window's <c>horizon</c> steps, and the mean squared error per
    /// [step][target] (data units) for intervals; null metrics when no window fits.
    /// </summary>
    internal MetricSet? Evaluate(IReadOnlyList<Series> series, IReadOnlyList<(float[] Features, float[] Targets)> rows, WindowSet windows, out double[][] squaredErrors)
    {
        var horizon = State.Horizon;
        var k = State.Targets.Count;
        squaredErrors = Enumerable.Range(0, horizon).Select(_ => new double[k]).ToArray();
        if (windows.Count == 0) return null;
        var features = State.Features.Count;
        var predictions = NeuralPredictor.Predict(State, network.Predict, windows.Inputs, windows.Count, horizon,
            (w, offset, f) => rows[windows.Origins[w].Series].Features[(windows.Origins[w].Index + offset) * features + f]);
        var errors = new ForecastErrorAccumulator();
        var scaler = State.Scaler;
        for (var w = 0; w < windows.Count; w++)
        {
            var origin = windows.Origins[w];
            for (var h = 0; h < horizon; h++)
                for (var j = 0; j < k; j++)
                {
                    var target = State.Targets[j];
                    var predicted = scaler.For(target).Undo(predictions[(w * horizon + h) * k + j]);
                    var actual = series[origin.Series][target][origin.Index + h + 1];
                    errors.Add(target, h + 1, actual, predicted);
                    squaredErrors[h][j] += (predicted - actual) * (predicted - actual) / windows.Count;
                }
        }
        return errors.ToMetrics();
    }

    /// <summary>One window through the engine's single-series path (matrix–vector products, no batch padding to 32).</summary>
    private float[] PredictOne(SequenceData data) => WithReplica(replica =>
    {
        var (outSteps, outFeatures) = replica.OutputShape(data.Steps);
        var output = new float[outSteps * outFeatures];
        replica.Predict(data.Inputs, output);
        return output;
    });

    public IReadOnlyList<TargetForecast> Forecast(ForecastQuery query, CancellationToken cancellationToken = default)
    {
        var length = State.WindowLength;
        var history = query.History;
        if (history.Length < length)
            throw new ForecastInputException($"This model reads windows of {length} steps; the history has {history.Length} observations before the origin.");
        var layout = State.Layout;
        var usesFuture = State.Features.Any(f => f.KnownFuture);
        if (usesFuture && (query.Future is null || query.Future.Length < query.Horizon))
            throw new ForecastInputException($"This model uses known-future covariates; supply their values for all {query.Horizon} forecast steps.");
        var scaler = State.Scaler;
        var rows = WindowBuilder.FeatureRows(history, layout, scaler, query.Future);
        var features = State.Features.Count;
        var window = rows.AsSpan((history.Length - length) * features, length * features).ToArray();
        float FutureRow(int offset, int f)
        {
            var feature = State.Features[f];
            var value = query.Future![feature.Column][offset];
            return feature.Category is { } category ? (value == category ? 1f : 0f) : scaler.For(feature.Column).Apply(value);
        }

        var k = State.Targets.Count;
        var horizon = query.Horizon;
        if (State.HasDropout && query.Samples > 1)
        {
            // MC dropout: `samples` copies of the window in one batch, each lane with its own dropout masks.
            var batch = new float[query.Samples * window.Length];
            for (var s = 0; s < query.Samples; s++) window.CopyTo(batch, s * window.Length);
            var seed = 0;
            var paths = WithReplica(replica => NeuralPredictor.Predict(State, data => replica.PredictSamples(data, 1, seed++)[0], batch, query.Samples, horizon,
                (_, offset, f) => FutureRow(offset, f)));
            return State.Targets.Select((target, j) => PredictionIntervals.FromSamples(target,
                Enumerable.Range(0, horizon).Select(h => Enumerable.Range(0, query.Samples)
                    .Select(s => scaler.For(target).Undo(paths[(s * horizon + h) * k + j])).ToArray()).ToArray(),
                query.Levels)).ToList();
        }

        var point = NeuralPredictor.Predict(State, PredictOne, window, 1, horizon, (_, offset, f) => FutureRow(offset, f));
        return State.Targets.Select((target, j) => PredictionIntervals.Gaussian(target,
            Enumerable.Range(0, horizon).Select(h => scaler.For(target).Undo(point[h * k + j])).ToArray(),
            Enumerable.Range(0, horizon).Select(h => h < State.ResidualVariance.Length ? State.ResidualVariance[h][j] : State.ResidualVariance[^1][j] * (h + 1)).ToArray(),
            query.Levels)).ToList();
    }
}
