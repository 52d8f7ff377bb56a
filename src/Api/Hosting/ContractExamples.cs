using System.Text.Json.Nodes;

namespace Forecasting.Api.Hosting;

/// <summary>One valid example per request body (the README's walkthrough); the dataset id is a placeholder to replace with your own.</summary>
public static class ContractExamples
{
    private const string DatasetId = "0197a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b";

    public static JsonNode TrainingRun => JsonNode.Parse($$"""
        { "datasetId": "{{DatasetId}}", "targets": ["visitors"], "horizon": 7,
          "split": { "trainFrom": "2023-01-01", "trainTo": "2023-12-31", "validFrom": "2024-01-01" },
          "model": { "kind": "seasonal_naive", "season": 7 } }
        """)!;

    public static JsonNode Backtest => JsonNode.Parse($$"""
        { "datasetId": "{{DatasetId}}", "targets": ["visitors"], "model": { "kind": "seasonal_naive", "season": 7 },
          "from": "2024-01-01", "to": "2024-01-31", "horizon": 7 }
        """)!;

    public static JsonNode Schedule => JsonNode.Parse($$"""
        { "cron": "0 0 3 * * ?", "timeZone": "Europe/Paris", "promote": "if_better",
          "trainingRun": { "datasetId": "{{DatasetId}}", "targets": ["visitors"], "horizon": 7,
            "split": { "trainFrom": "2023-01-01", "trainTo": "2023-12-31", "validFrom": "2024-01-01" }, "model": { "kind": "seasonal_naive", "season": 7 } } }
        """)!;

    public static JsonNode Synthetic => JsonNode.Parse("""{ "name": "chapter-synthetic", "count": 10000, "steps": 60, "seed": 42 }""")!;

    public static JsonNode Forecast => JsonNode.Parse("""{ "horizon": 7, "levels": [80, 95] }""")!;

    public static JsonNode Anomalies => JsonNode.Parse("""{ "from": "2024-01-01", "to": "2024-01-31", "level": 99, "step": 1 }""")!;

    public static JsonNode JsonUpload => JsonNode.Parse("""
        { "name": "visitors", "frequency": "D",
          "series": [ { "id": "shop", "start": "2024-01-01", "columns": { "visitors": [120, 135, 128, 150, 170, 210, 190] } } ] }
        """)!;
}
