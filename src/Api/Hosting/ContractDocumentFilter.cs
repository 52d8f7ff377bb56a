using System.Text.Json.Nodes;
using Forecasting.Api.Datasets.Ingest;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Forecasting.Training.Models;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Forecasting.Api.Hosting;

/// <summary>
/// Completes the generated OpenAPI document with what the types alone do not say: the model kinds and other
/// closed vocabularies kept as text, required fields, ranges (caps from <see cref="Limits"/>), a description of
/// every request field and form field, one valid example per body (the README's walkthrough), the JSON upload's
/// own schema, and /health. The fuzz test (ContractFuzzTests) generates its requests from this document.
/// </summary>
public sealed class ContractDocumentFilter(ModelKindRegistry kinds, IOptions<Limits> limits) : IDocumentFilter
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["TrainingRunSpec.targets"] = "Numeric columns to forecast (at least one).",
        ["TrainingRunSpec.windowLength"] = "Observations per input window (neural kinds; the chapter uses 56 days). At least 2.",
        ["TrainingRunSpec.horizon"] = "Steps to forecast (default 1); capped by Limits:MaxHorizon and by Limits:MaxHorizonToData × the longest series.",
        ["TrainingRunSpec.split"] = "Training, validation and test periods, by date or step, or as fractions. Each period given must contain observations.",
        ["TrainingRunSpec.scaling"] = "Scaling applied before training (neural kinds); metrics are always in the data's units.",
        ["TrainingRunSpec.transform"] = "Statistical kinds: fit each series on Box-Cox or log1p values; forecasts, intervals and metrics come back in the data's units.",
        ["TransformSpec.kind"] = "boxcox (R's BoxCox: (y^λ − 1)/λ, log for λ = 0) or log1p (log(1 + y)).",
        ["TransformSpec.lambda"] = "boxcox only (required): a number, or \"auto\" for Guerrero's method on each series' training period (R's BoxCox.lambda, in [−1, 2]).",
        ["TransformSpec.biasAdjust"] = "Points are back-transformed means (R's biasadj = TRUE) instead of medians (default false, as R); bounds are the same.",
        ["TrainingRunSpec.model"] = "The model kind and its hyper-parameters (required).",
        ["TrainingRunSpec.training"] = "Loss, optimiser and epochs of neural kinds.",
        ["SplitSpec.trainFrom"] = "First training point, inclusive (ISO date or step number); default the start of the data.",
        ["SplitSpec.trainTo"] = "Last training point, inclusive (required with a date split).",
        ["SplitSpec.validFrom"] = "First validation point; must lie after trainTo and inside the data.",
        ["SplitSpec.validTo"] = "Last validation point; default the point before testFrom, or the end of the data.",
        ["SplitSpec.testFrom"] = "First test point; must lie after the training and validation periods and inside the data.",
        ["SplitSpec.testTo"] = "Last test point; default the end of the data.",
        ["SplitSpec.train"] = "Fraction for training: of each series' points (by: time), or of the panel's series (by: series).",
        ["SplitSpec.valid"] = "Fraction for validation, after the training share; the rest is the test period.",
        ["SplitSpec.by"] = "How fractions split a panel: time (default; each series in time, its first train share trains) or series (whole series held out, in dataset order; neural kinds only).",
        ["ModelSpec.kind"] = "The model kind (required).",
        ["ModelSpec.layerNorm"] = "simple_rnn: layer normalisation inside the cell (the chapter's LNSimpleRNNCell).",
        ["ModelSpec.dropout"] = "Recurrent kinds: input dropout in [0, 1); also enables MC-dropout intervals.",
        ["ModelSpec.recurrentDropout"] = "Recurrent kinds: dropout on the recurrent state, in [0, 1).",
        ["ModelSpec.filters"] = "conv_gru and wavenet: convolution filters.",
        ["ModelSpec.kernelSize"] = "conv_gru and wavenet: convolution kernel size.",
        ["ModelSpec.strides"] = "conv_gru: convolution stride.",
        ["ModelSpec.dilations"] = "wavenet: dilation rate of each layer, e.g. [1, 2, 4, 8].",
        ["ModelSpec.gated"] = "wavenet: gated activation units.",
        ["ScalingSpec.kind"] = "none (default), divide (by `by`) or standard (mean and standard deviation of the training period).",
        ["ScalingSpec.per"] = "standard only: series (default; each series' own training period, forecasts and intervals in each series' own scale) or panel (one mean and standard deviation for all series).",
        ["TrainingSettings.loss"] = "The training loss (default huber).",
        ["TrainingSettings.optimizer"] = "The optimiser (default adam).",
        ["TrainingSettings.learningRate"] = "In (0, 10]; default 0.01 for sgd, 0.001 otherwise.",
        ["TrainingSettings.momentum"] = "sgd momentum in [0, 1); default 0.",
        ["TrainingSettings.epochs"] = "Passes over the training windows (default 100); epochs × windows is capped by Limits:MaxWorkPerRun.",
        ["TrainingSettings.batchSize"] = "Windows per gradient step (default 32).",
        ["TrainingSettings.patience"] = "Early stopping: epochs without a better validation loss before stopping (needs a validation period).",
        ["TrainingSettings.seed"] = "Seed of initialisation and shuffling: equal seeds give equal runs.",
        ["BacktestRequest.targets"] = "Numeric columns to forecast (at least one).",
        ["BacktestRequest.model"] = "The model kind and its hyper-parameters (required).",
        ["BacktestRequest.horizon"] = "Steps forecast from each origin (default 1).",
        ["BacktestRequest.windowLength"] = "Observations per input window (neural kinds).",
        ["BacktestRequest.strategy"] = "Neural kinds: direct (default), recursive or seq2seq.",
        ["BacktestRequest.scaling"] = "Scaling before training (neural kinds).",
        ["BacktestRequest.transform"] = "Statistical kinds: the transform each refit is fitted on, as a training request's.",
        ["BacktestRequest.training"] = "Loss, optimiser and epochs of neural kinds.",
        ["ScheduleRequest.promote"] = "Which new models become the schedule's active model: always, if_better (default: lower validation MAE) or never.",
        ["SyntheticDatasetRequest.name"] = "Dataset name; default synthetic-{count}x{steps}-seed{seed}.",
        ["SyntheticDatasetRequest.count"] = "Number of series (default 10000).",
        ["SyntheticDatasetRequest.steps"] = "Steps per series (default 60).",
        ["SyntheticDatasetRequest.seed"] = "Random seed (default 42).",
        ["CsvUploadForm.file"] = "The CSV file: a header row, then one row per time (and series).",
        ["CsvUploadForm.name"] = "Dataset name (default the file name without extension); at most 200 characters.",
        ["CsvUploadForm.timeColumn"] = "The time column (default the first column).",
        ["CsvUploadForm.seriesColumn"] = "Column holding the series id of a long-format panel; none for a single series.",
        ["CsvUploadForm.frequency"] = "A frequency code: 1min … 30min, H, D, B, W, W-MON … W-SUN, M (MS), ME, QS, QE, Q, YS, YE, Y (A) or steps (docs/api.md, Frequencies); inferred from the timestamps when absent.",
        ["CsvUploadForm.dateFormat"] = "A .NET-style date pattern such as MM/dd/yyyy when the dates are not ISO.",
        ["CsvUploadForm.columnNames"] = "Comma-separated names replacing the header's (the chapter's date,day_type,bus,rail,total).",
        ["CsvUploadForm.dropColumns"] = "Comma-separated columns not to store (the chapter drops total).",
        ["CsvUploadForm.fillPolicy"] = "How gaps and missing values are filled: ffill, interpolate or zero; none refuses them with a 400 naming the line.",
        ["CsvUploadForm.categoricalColumns"] = "Comma-separated columns to store as categories even when their cells are numbers.",
        ["JsonDatasetUpload.name"] = "Dataset name (required for an upload); at most 200 characters.",
        ["JsonDatasetUpload.series"] = "One entry per series (at least one).",
        ["JsonSeriesUpload.columns"] = "Column name → values (numbers, or text for categorical columns); every column of a series has the same length.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var cap = limits.Value;
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        context.SchemaGenerator.GenerateSchema(typeof(JsonDatasetUpload), context.SchemaRepository);
        foreach (var (name, schema) in context.SchemaRepository.Schemas) schemas.TryAdd(name, schema);

        Property(schemas, "ModelSpec", "kind", p => Enum(p, kinds.Names.Order()));
        Property(schemas, "ScheduleRequest", "promote", p => Enum(p, WireNames.All(typeof(PromotePolicy))));
        Property(schemas, "JsonDatasetUpload", "frequency", p => Enum(p, ["D", "H", "W", "M", "steps"]));
        Property(schemas, "JsonDatasetUpload", "fillPolicy", p => Enum(p, ["ffill", "interpolate", "zero"]));
        Property(schemas, "CsvUploadForm", "frequency", p => Enum(p, ["D", "H", "W", "M", "steps"]));
        Property(schemas, "CsvUploadForm", "fillPolicy", p => Enum(p, ["ffill", "interpolate", "zero"]));
        foreach (var body in new[] { "TrainingRunSpec", "BacktestRequest", "ForecastRequest" })
            Property(schemas, body, "horizon", p => Range(p, 1, cap.MaxHorizon));
        Property(schemas, "TrainingRunSpec", "windowLength", p => Range(p, 1, 100_000));
        Property(schemas, "TrainingSettings", "epochs", p => Range(p, 1, 100_000));
        Property(schemas, "TrainingSettings", "batchSize", p => Range(p, 1, 65_536));
        Property(schemas, "TrainingSettings", "patience", p => Range(p, 0, null));
        Property(schemas, "TrainingSettings", "shuffleBuffer", p => Range(p, 1, 10_000_000));
        Property(schemas, "IntervalsSpec", "windows", p => Range(p, 2, 1000));
        Property(schemas, "TrainingSettings", "learningRate", p => Range(p, 0, 10));
        Property(schemas, "TrainingSettings", "momentum", p => Range(p, 0, 1));
        Property(schemas, "ModelSpec", "dropout", p => Range(p, 0, 1));
        Property(schemas, "ModelSpec", "recurrentDropout", p => Range(p, 0, 1));
        Property(schemas, "SplitSpec", "train", p => Range(p, 0, 1));
        Property(schemas, "SplitSpec", "valid", p => Range(p, 0, 1));
        Property(schemas, "ScalingSpec", "by", p => Range(p, 0, null));
        Property(schemas, "ForecastRequest", "samples", p => Range(p, 1, 10_000));
        Property(schemas, "ForecastRequest", "levels", p =>
        {
            p.MaxItems = cap.MaxLevels;
            if (p.Items is OpenApiSchema item) Range(item, 1, 100);
        });
        Property(schemas, "BacktestRequest", "refitEvery", p => Range(p, 1, null));
        Property(schemas, "SyntheticDatasetRequest", "count", p => Range(p, 1, 100_000));
        Property(schemas, "SyntheticDatasetRequest", "steps", p => Range(p, 2, 10_000));
        Required(schemas, "TrainingRunSpec", "datasetId", "targets", "model");
        Required(schemas, "BacktestRequest", "datasetId", "targets", "model", "from", "to");
        Required(schemas, "ScheduleRequest", "cron", "trainingRun");
        Required(schemas, "ModelSpec", "kind");
        Required(schemas, "TransformSpec", "kind");
        schemas["BoxCoxLambda"] = new OpenApiSchema
        {
            Description = "A number, or \"auto\" (Guerrero's method).",
            OneOf = [new OpenApiSchema { Type = JsonSchemaType.Number }, new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("auto")!] }],
        };
        Required(schemas, "JsonDatasetUpload", "series");
        Required(schemas, "CsvUploadForm", "file");
        foreach (var (key, text) in Descriptions)
        {
            var (schema, property) = (key[..key.IndexOf('.')], key[(key.IndexOf('.') + 1)..]);
            Property(schemas, schema, property, p => p.Description ??= text);
        }

        foreach (var (path, item) in document.Paths)
            foreach (var (method, operation) in item.Operations ?? [])
                Complete(path, method, operation, context);
        document.Paths["/health"] = Health(context);
        document.Info.Description += " The contract in full (every field, the caps and their configuration keys, the error format) is docs/api.md in the repository.";
    }

    private void Complete(string path, HttpMethod method, OpenApiOperation operation, DocumentFilterContext context)
    {
        if (method == HttpMethod.Get && path is "/api/training-runs" or "/api/backtests")
            foreach (var parameter in operation.Parameters ?? [])
                if (parameter.Name == "status" && parameter is OpenApiParameter p && p.Schema is OpenApiSchema s)
                {
                    Enum(s, ["queued", "running", "succeeded", "failed", "cancelled"]);
                    p.Description = "Only runs with this status.";
                }
        foreach (var parameter in operation.Parameters ?? [])
            if (parameter is OpenApiParameter p && p.Description is null)
                p.Description = parameter.Name switch
                {
                    "id" => "The resource's id (404 naming it when there is none).",
                    "skip" => "Items to skip (default 0).",
                    "take" => "Items to return, 1 to 200 (default 50).",
                    "datasetId" => "Only items of this dataset.",
                    "kind" => "Only models of this kind.",
                    "series" => "Comma-separated series ids (default all).",
                    "from" => "First point, inclusive (ISO date or step number).",
                    "to" => "Last point, inclusive; not before from.",
                    "columns" => "Comma-separated columns (default all).",
                    "cascade" => "Also delete the models and schedules that use the dataset (otherwise 409 while there are any).",
                    _ => null,
                };
        if (operation.RequestBody is not OpenApiRequestBody body || body.Content is null) return;
        if (path == "/api/datasets" || path == "/api/datasets/{id}/observations")
        {
            if (body.Content.TryGetValue("application/json", out var json) && json is OpenApiMediaType media)
            {
                media.Schema = new OpenApiSchemaReference(nameof(JsonDatasetUpload), null);
                media.Example = ContractExamples.JsonUpload;
            }
            return;
        }
        var example = (method.Method, path) switch
        {
            ("POST", "/api/training-runs") => ContractExamples.TrainingRun,
            ("POST", "/api/backtests") => ContractExamples.Backtest,
            ("POST", "/api/schedules") => ContractExamples.Schedule,
            ("POST", "/api/datasets/synthetic") => ContractExamples.Synthetic,
            ("POST", "/api/models/{id}/forecast") => ContractExamples.Forecast,
            ("POST", "/api/models/{id}/anomalies") => ContractExamples.Anomalies,
            _ => null,
        };
        if (example is not null && body.Content.TryGetValue("application/json", out var content) && content is OpenApiMediaType target)
            target.Example = example;
    }

    private static OpenApiPathItem Health(DocumentFilterContext context)
    {
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, new OpenApiOperation
        {
            Tags = new HashSet<OpenApiTagReference> { new("Operations") },
            Summary = "Liveness and database reachability",
            Description = "200 with { status: \"healthy\", checks: { database: { status, description } } } when the database answers; 503 with status \"unhealthy\" otherwise.",
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Example = JsonNode.Parse("""{ "status": "healthy", "checks": { "database": { "status": "healthy", "description": "database reachable (3 datasets)" } } }""") } } },
                ["503"] = new OpenApiResponse { Description = "Unhealthy: the database does not answer" },
            },
        });
        return item;
    }

    private static void Property(IDictionary<string, IOpenApiSchema> schemas, string schema, string property, Action<OpenApiSchema> change)
    {
        if (schemas.TryGetValue(schema, out var s) && s.Properties is { } properties && properties.TryGetValue(property, out var p) && p is OpenApiSchema target)
            change(target);
    }

    private static void Required(IDictionary<string, IOpenApiSchema> schemas, string schema, params string[] properties)
    {
        if (schemas.TryGetValue(schema, out var s) && s is OpenApiSchema target)
        {
            target.Required ??= new HashSet<string>();
            foreach (var property in properties) target.Required.Add(property);
        }
    }

    private static void Enum(OpenApiSchema schema, IEnumerable<string> values)
    {
        schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList();
    }

    private static void Range(OpenApiSchema schema, double minimum, double? maximum)
    {
        schema.Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (maximum is { } max) schema.Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
