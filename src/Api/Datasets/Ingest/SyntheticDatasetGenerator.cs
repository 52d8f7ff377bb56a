using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// The chapter's <c>generate_time_series(batch_size, n_steps)</c>: per series two sines with random
/// frequencies and offsets plus uniform noise, over time = linspace(0, 1, n_steps), as float32.
/// Random draws follow numpy's order (freq1, freq2, offsets1, offsets2 for all series, then the noise
/// row by row) from a seeded <see cref="Random"/>, so a seed always gives the same data.
/// </summary>
public static class SyntheticDatasetGenerator
{
    public const string ValueColumn = "value";

    public static IReadOnlyList<FieldError> Validate(SyntheticDatasetRequest request)
    {
        var errors = new List<FieldError>();
        // No name is fine: the endpoint names it after its settings (synthetic-10000x60-seed42).
        if (request.Name is { Length: > 200 }) errors.Add(new FieldError("name", "The name is longer than 200 characters."));
        if (request.Count is < 1 or > SyntheticDatasetRequest.MaxCount)
            errors.Add(new FieldError("count", $"count must be between 1 and {SyntheticDatasetRequest.MaxCount:N0}."));
        if (request.Steps is < 2 or > SyntheticDatasetRequest.MaxSteps)
            errors.Add(new FieldError("steps", $"steps must be between 2 and {SyntheticDatasetRequest.MaxSteps:N0}."));
        if (errors.Count == 0 && (long)request.Count * request.Steps > SyntheticDatasetRequest.MaxValues)
            errors.Add(new FieldError("count", $"count × steps must not exceed {SyntheticDatasetRequest.MaxValues:N0} values."));
        return errors;
    }

    /// <summary>Generates the frame; call <see cref="Validate"/> first (invalid requests throw).</summary>
    public static DatasetFrame Generate(SyntheticDatasetRequest request)
    {
        if (Validate(request) is { Count: > 0 } errors)
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")), nameof(request));
        var (count, steps) = (request.Count, request.Steps);
        var random = new Random(request.Seed);
        var draws = new double[4][];
        for (var k = 0; k < 4; k++)
        {
            draws[k] = new double[count];
            for (var i = 0; i < count; i++) draws[k][i] = random.NextDouble();
        }
        var (freq1, freq2, offsets1, offsets2) = (draws[0], draws[1], draws[2], draws[3]);
        var time = new double[steps];
        for (var t = 0; t < steps; t++) time[t] = (double)t / (steps - 1);

        var series = new Series[count];
        for (var i = 0; i < count; i++)
        {
            var values = new double[steps];
            var (speed1, speed2) = (freq1[i] * 10 + 10, freq2[i] * 20 + 20);
            for (var t = 0; t < steps; t++)
            {
                var value = 0.5 * Math.Sin((time[t] - offsets1[i]) * speed1)
                    + 0.2 * Math.Sin((time[t] - offsets2[i]) * speed2)
                    + 0.1 * (random.NextDouble() - 0.5);
                values[t] = (float)value; // the chapter casts to float32
            }
            series[i] = new Series(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, steps,
                new Dictionary<string, double[]>(StringComparer.Ordinal) { [ValueColumn] = values });
        }
        return new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric(ValueColumn)], series);
    }
}
