using System.Globalization;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Api.Http;
using Forecasting.Domain;

namespace Forecasting.Api.StatelessForecasts;

/// <summary>
/// Reads the body of POST /api/forecast into the request's options and a <see cref="DatasetFrame"/> with the dataset
/// upload's readers (the same sorting, gap, missing-value and fill rules and messages), refusing a timestamp given twice,
/// and checking the size caps before the data are read.
/// </summary>
public static class StatelessInput
{
    /// <summary>The one column of an inline series, named as in Nixtla's long format.</summary>
    public const string Target = "y";

    private static readonly string[] QueryParameters = ["frequency", "fillPolicy", "horizon", "levels", "quantiles", "model", "addHistory"];

    /// <summary>The request's options (null when the body could not be read), the frame (null on any error) and the errors.</summary>
    public static async Task<(StatelessForecastRequest? Request, DatasetFrame? Frame, IReadOnlyList<FieldError> Errors)> ReadAsync(HttpRequest http, Limits limits, StatelessForecastLimits caps, CancellationToken cancellationToken)
    {
        var mediaType = http.ContentType is { } type ? type.Split(';')[0].Trim() : "";
        if (mediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)) return await ReadCsvAsync(http, limits, caps, cancellationToken);
        if (http.HasJsonContentType()) return await ReadJsonAsync(http, limits, caps, cancellationToken);
        return Failed("Content-Type", "Send application/json ({ frequency, series: [ { id, start | timestamps, values } ], horizon, … }) or text/csv (unique_id, ds, y) with the options as query parameters.");
    }

    private static (StatelessForecastRequest?, DatasetFrame?, IReadOnlyList<FieldError>) Failed(string field, string message) => (null, null, [new FieldError(field, message)]);

    private static async Task<(StatelessForecastRequest?, DatasetFrame?, IReadOnlyList<FieldError>)> ReadJsonAsync(HttpRequest http, Limits limits, StatelessForecastLimits caps, CancellationToken cancellationToken)
    {
        StatelessForecastRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<StatelessForecastRequest>(http.Body, ApiJson.Requests, cancellationToken);
        }
        catch (JsonException e)
        {
            var (field, message) = JsonErrors.Describe(e);
            return Failed(field, message);
        }
        if (request is null) return Failed("body", "The body is empty.");
        var errors = http.Query.Keys.Select(key => new FieldError(key, $"With a JSON body the options are fields of the body; move '{key}' there.")).ToList();
        if (request.Series is not { Count: > 0 } series) errors.Add(new FieldError("series", "Give at least one series: { \"id\": \"a\", \"start\": \"2024-01-01\", \"values\": [ … ] }."));
        else
        {
            if (series.Count > caps.MaxSeries)
                errors.Add(new FieldError("series", $"{series.Count} series were sent; at most {caps.MaxSeries} are accepted in one stateless forecast (Limits:Stateless:MaxSeries)."));
            var points = series.Sum(s => (long)(s?.Values?.Count ?? 0)); // a null series is refused below
            if (points > caps.MaxPoints)
                errors.Add(new FieldError("series", $"{points:N0} values were sent; at most {caps.MaxPoints:N0} are accepted in one stateless forecast, all series together (Limits:Stateless:MaxPoints)."));
            for (var i = 0; i < series.Count; i++)
                if (series[i] is null) errors.Add(new FieldError($"series[{i}]", "A series is an object such as { \"id\": \"a\", \"start\": \"2024-01-01\", \"values\": [ … ] }, not null."));
            if (errors.Count == 0) NonNumericValues(series, errors);
        }
        if (errors.Count > 0) return (request, null, errors);

        // The upload's reader on the same series, with values as its one column; its paths are put back in the request's words.
        var upload = new JsonDatasetUpload
        {
            Frequency = request.Frequency,
            FillPolicy = request.FillPolicy,
            Series = request.Series!.Select(s => new JsonSeriesUpload
            {
                Id = s.Id, Start = s.Start, Timestamps = s.Timestamps,
                Columns = new Dictionary<string, IReadOnlyList<JsonElement>> { [Target] = s.Values ?? [] },
            }).ToList(),
        };
        var result = JsonDatasetReader.Read(upload, null, limits, rejectDuplicates: true);
        var reworded = result.Errors.Select(e => e with
        {
            Field = e.Field.Replace($".columns.{Target}", ".values", StringComparison.Ordinal).Replace(".columns", ".values", StringComparison.Ordinal),
        });
        return Checked(request, result.Frame, [.. reworded], limits, caps);
    }

    /// <summary>A string among the values would make the column categorical in the upload's reader: here it is a number that is not.</summary>
    private static void NonNumericValues(IReadOnlyList<StatelessSeries> series, List<FieldError> errors)
    {
        for (var s = 0; s < series.Count && errors.Count < 20; s++)
        {
            var values = series[s].Values ?? [];
            for (var i = 0; i < values.Count && errors.Count < 20; i++)
                if (values[i].ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
                    errors.Add(new FieldError($"series[{s}].values[{i}]", $"{Shorten(values[i].GetRawText())} is not a number."));
        }
    }

    private static async Task<(StatelessForecastRequest?, DatasetFrame?, IReadOnlyList<FieldError>)> ReadCsvAsync(HttpRequest http, Limits limits, StatelessForecastLimits caps, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var request = FromQuery(http.Query, errors);
        string text;
        using (var reader = new StreamReader(http.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            text = await reader.ReadToEndAsync(cancellationToken);
        var header = FirstLine(text);
        if (header is null) errors.Add(new FieldError("body", "The CSV is empty; send a header unique_id,ds,y and one row per observation."));
        else
        {
            var names = header.Split(',').Select(n => n.Trim().Trim('"').Trim()).ToList();
            foreach (var required in new[] { "unique_id", "ds", Target }.Where(r => !names.Contains(r)))
                errors.Add(new FieldError("header", $"The CSV has no '{required}' column: a stateless forecast reads Nixtla's long format, unique_id, ds, y (the header is: {Shorten(header)})."));
            var others = names.Where(n => n is not ("unique_id" or "ds" or Target)).ToList();
            if (others.Count > 0)
                errors.Add(new FieldError("header", $"A stateless forecast is univariate and reads unique_id, ds and y only; leave out {string.Join(", ", others.Take(5).Select(n => $"'{Shorten(n)}'"))}."));
            var rows = text.AsSpan().Count('\n') + (text.EndsWith('\n') ? 0 : 1) - 1;
            if (rows > caps.MaxPoints)
                errors.Add(new FieldError("body", $"The CSV has {rows:N0} rows; at most {caps.MaxPoints:N0} observations are accepted in one stateless forecast, all series together (Limits:Stateless:MaxPoints)."));
        }
        if (errors.Count > 0) return (request, null, errors);
        var options = new CsvUploadOptions(TimeColumn: "ds", SeriesColumn: "unique_id", Frequency: request.Frequency, FillPolicy: request.FillPolicy);
        var result = CsvDatasetReader.Read(new StringReader(text), options, limits, rejectDuplicates: true);
        if (result.Frame?.Column(Target) is { Kind: ColumnKind.Categorical } column)
            return Failed($"column {Target}", $"y holds text, not numbers ({string.Join(", ", column.Categories.Take(3).Select(c => $"'{Shorten(c)}'"))} …).");
        return Checked(request, result.Frame, [.. result.Errors], limits, caps);
    }

    /// <summary>The caps the data can be held to only once read: series (CSV), labels, and points after a fill policy.</summary>
    private static (StatelessForecastRequest?, DatasetFrame?, IReadOnlyList<FieldError>) Checked(StatelessForecastRequest request, DatasetFrame? frame, List<FieldError> errors, Limits limits, StatelessForecastLimits caps)
    {
        if (frame is null || errors.Count > 0) return (request, null, errors);
        errors.AddRange(IngestLimits.Check(frame, limits));
        if (frame.Series.Count > caps.MaxSeries)
            errors.Add(new FieldError("series", $"{frame.Series.Count} series were sent; at most {caps.MaxSeries} are accepted in one stateless forecast (Limits:Stateless:MaxSeries)."));
        var points = frame.Series.Sum(s => (long)s.Length);
        if (points > caps.MaxPoints)
            errors.Add(new FieldError("series", $"The series hold {points:N0} observations (gaps filled); at most {caps.MaxPoints:N0} are accepted in one stateless forecast (Limits:Stateless:MaxPoints)."));
        return (request, errors.Count > 0 ? null : frame, errors);
    }

    /// <summary>The options of a CSV body, from the query string; an unknown parameter or one that does not parse is an error naming it.</summary>
    private static StatelessForecastRequest FromQuery(IQueryCollection query, List<FieldError> errors)
    {
        foreach (var key in query.Keys.Where(k => !QueryParameters.Contains(k)))
            errors.Add(new FieldError(key, $"Unknown query parameter '{key}'. With a CSV body the options are query parameters: {string.Join(", ", QueryParameters)}."));
        string? One(string key) => query.TryGetValue(key, out var values) ? values.ToString() : null;
        int? horizon = null;
        if (One("horizon") is { } h)
        {
            if (int.TryParse(h, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) horizon = parsed;
            else errors.Add(new FieldError("horizon", $"'{Shorten(h)}' is not a whole number of steps."));
        }
        bool? addHistory = null;
        if (One("addHistory") is { } a)
        {
            if (bool.TryParse(a, out var parsed)) addHistory = parsed;
            else errors.Add(new FieldError("addHistory", $"'{Shorten(a)}' is not true or false."));
        }
        return new StatelessForecastRequest
        {
            Frequency = One("frequency"),
            FillPolicy = One("fillPolicy"),
            Horizon = horizon,
            Levels = Numbers(One("levels"), "levels", errors),
            Quantiles = Numbers(One("quantiles"), "quantiles", errors),
            Model = Model(One("model"), errors),
            AddHistory = addHistory,
        };
    }

    private static List<double>? Numbers(string? text, string field, List<FieldError> errors)
    {
        if (text is null) return null;
        var numbers = new List<double>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)) numbers.Add(number);
            else errors.Add(new FieldError(field, $"'{Shorten(item)}' is not a number; give {field} comma-separated, e.g. {(field == "levels" ? "80,95" : "0.1,0.5,0.9")}."));
        }
        return numbers;
    }

    /// <summary>model=seasonal_naive (a kind with its defaults) or model={"kind":"sarima","order":[1,1,1]} (the training request's object).</summary>
    private static ModelSpec? Model(string? text, List<FieldError> errors)
    {
        if (text is null) return null;
        if (!text.TrimStart().StartsWith('{')) return new ModelSpec { Kind = text.Trim() };
        try
        {
            return JsonSerializer.Deserialize<ModelSpec>(text, ApiJson.Requests);
        }
        catch (JsonException e)
        {
            var (field, message) = JsonErrors.Describe(e);
            errors.Add(new FieldError(field == "body" ? "model" : $"model.{field}", message));
            return null;
        }
    }

    private static string? FirstLine(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
            if (!line.IsWhiteSpace()) return line.ToString();
        return null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
