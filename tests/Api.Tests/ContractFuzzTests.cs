using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Forecasting.Api.Tests;

/// <summary>
/// Hostile requests generated from the service's own OpenAPI document (seeded, so every run sends the same
/// ones): for every operation, its documented example first (which must be accepted), then the example with
/// one field at a time given the wrong type, null, a non-finite or huge number, an unknown sibling, text that is
/// not valid Unicode, and query parameters of the wrong type. No answer may be a 5xx; every 4xx is problem
/// details in plain words; every request that is invalid by construction is a 4xx and stores nothing.
/// </summary>
public sealed class ContractFuzzTests(ContractFuzzTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<ContractFuzzTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public ApiFactory Factory { get; } = new();
        public HttpClient Client { get; private set; } = null!;
        public string DatasetId { get; private set; } = "";
        public string ModelId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Client = Factory.CreateClient();
            // The README's demo data: daily visitors from 2023-01-01, so the document's examples are valid as they stand.
            var random = new Random(7);
            var visitors = Enumerable.Range(0, 400).Select(t => 1000.0 + (t % 7 < 5 ? 300 : 0) + t + 50 * random.NextDouble()).ToArray();
            var upload = await Client.PostAsync("/api/datasets", new StringContent(JsonSerializer.Serialize(new
            {
                name = "demo", frequency = "D",
                series = new[] { new { id = "shop", start = "2023-01-01", columns = new Dictionary<string, object> { ["visitors"] = visitors } } },
            }), Encoding.UTF8, "application/json"));
            DatasetId = (await upload.ReadJsonAsync()).Id();
            var model = await Client.TrainAsync(new { datasetId = DatasetId, targets = new[] { "visitors" }, horizon = 7, model = new { kind = "seasonal_naive", season = 7 } });
            ModelId = model.GetProperty("id").GetString()!;
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private const string Placeholder = "0197a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b";
    private const int MutationsPerOperation = 45;
    private const string LoneSurrogate = "LONE-SURROGATE-ESCAPE";

    private sealed record Case(string Operation, string Method, string Path, HttpContent? Content, bool Invalid, string What);

    [Fact]
    public async Task Every_operation_answers_generated_hostile_requests_with_4xx_problems_and_stores_nothing()
    {
        var client = fixture.Client;
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var random = new Random(20261126);
        var cases = new List<Case>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
                cases.AddRange(Generate(path, method.ToUpperInvariant(), operation!, schemas, random));
        Assert.True(cases.Count > 300, $"only {cases.Count} cases were generated");

        var failures = new List<string>();
        var sent = 0;
        foreach (var c in cases)
        {
            var before = await Counts();
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path) { Content = c.Content };
            using var response = await client.SendAsync(request);
            sent++;
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var label = $"{c.Operation} [{c.What}] → {status}";
            if (status >= 500) failures.Add($"{label}: {Shorten(body)}");
            else if (status >= 400)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") failures.Add($"{label}: not problem details: {Shorten(body)}");
                else
                    try { ProblemText.AssertPlain(body); }
                    catch (Exception e) { failures.Add($"{label}: {Shorten(e.Message)}"); }
                if (!Equals(before, await Counts())) failures.Add($"{label}: a refused request stored something");
            }
            else if (c.Invalid) failures.Add($"{label}: an invalid request was accepted: {Shorten(body)}");
            if (c.What == "documented example" && !c.Path.EndsWith("/observations", StringComparison.Ordinal) && status >= 400)
                failures.Add($"{label}: the document's own example is refused: {Shorten(body)}");
            if (status == 202 && body.Contains("\"id\"")) await Settle(c.Path, body);
        }
        output.WriteLine($"{sent} requests sent; {failures.Count} failures.");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    private IEnumerable<Case> Generate(string path, string method, JsonNode operation, JsonObject schemas, Random random)
    {
        var name = $"{method} {path}";
        var concrete = path.Replace("{id}", path.StartsWith("/api/models") ? fixture.ModelId : path.StartsWith("/api/datasets") ? fixture.DatasetId : Guid.NewGuid().ToString());
        var cases = new List<Case>();

        // Query and path parameters of the wrong type, and an unknown id.
        foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
        {
            var pname = parameter!["name"]!.GetValue<string>();
            var type = parameter["schema"]?["type"]?.GetValue<string>();
            var format = parameter["schema"]?["format"]?.GetValue<string>();
            if (parameter["in"]!.GetValue<string>() == "path")
            {
                cases.Add(new(name, method, path.Replace("{id}", Guid.NewGuid().ToString()), Body(operation), false, "unknown id"));
                continue;
            }
            if (method != "GET") continue;
            if (type is "integer" or "number" || format == "uuid")
            {
                cases.Add(new(name, method, $"{concrete}?{pname}=abc", null, true, $"{pname}=abc"));
                cases.Add(new(name, method, $"{concrete}?{pname}=99999999999999999999", null, true, $"{pname} overflow"));
            }
            else if (type == "string")
            {
                cases.Add(new(name, method, $"{concrete}?{pname}=%FF%FE%C3%28", null, parameter["schema"]?["enum"] is not null, $"{pname} invalid UTF-8"));
                cases.Add(new(name, method, $"{concrete}?{pname}={new string('x', 5000)}", null, parameter["schema"]?["enum"] is not null, $"{pname} huge"));
            }
        }
        if (method == "GET") return cases.Prepend(new(name, method, concrete, null, false, "as documented"));
        if (method == "DELETE") return cases; // only unknown ids: the fixture's data stay

        var content = operation["requestBody"]?["content"]?.AsObject();
        if (content?["multipart/form-data"] is not null)
        {
            cases.Add(new(name, method, concrete, Raw("--x\r\n", "multipart/form-data"), true, "multipart without boundary"));
            cases.Add(new(name, method, concrete, Form(("name", "x")), true, "form without file"));
            cases.Add(new(name, method, concrete, Form(("file", "\u0000\u0001binary\uFFFF")), true, "binary file"));
            cases.Add(new(name, method, concrete, FormBytes([0xC3, 0x28, 0x0A, 0xFF]), true, "file not UTF-8"));
            cases.Add(new(name, method, concrete, Form(("file", "date,v\n2020-01-01,1\n"), ("fillPolicy", "sometimes")), true, "unknown fill policy"));
        }
        if (content?["application/json"] is not { } json) return cases;
        var example = json["example"]?.DeepClone();
        var schema = Resolve(json["schema"], schemas);
        if (example is null)
        {
            // Bodies without an example (cancel, trigger) take none: an empty object must not break them either.
            cases.Add(new(name, method, concrete, Raw("{ \"zzUnknown\": 1 }", "application/json"), false, "unknown field on an empty body"));
            return cases;
        }
        var valid = example.ToJsonString().Replace(Placeholder, fixture.DatasetId);
        cases.Add(new(name, method, concrete, Raw(valid, "application/json"), false, "documented example"));

        var mutations = new List<(string What, bool Invalid, Func<JsonNode, JsonNode?> Change)>();
        foreach (var (field, fieldSchema, parent) in Fields(schema, schemas, ""))
        {
            var type = fieldSchema?["type"]?.GetValue<string>();
            if (type is null) continue; // loosely typed (rows, ids that are text or numbers): covered below
            mutations.Add(($"{field} wrong type", true, body => Set(body, field, type switch
            {
                "string" => JsonValue.Create(123),
                "integer" or "number" => JsonValue.Create("12"),
                "boolean" => JsonValue.Create("yes"),
                "array" => new JsonObject { ["x"] = 1 },
                _ => new JsonArray(1),
            })));
            mutations.Add(($"{field} null", false, body => Set(body, field, null)));
            if (type is "integer" or "number")
            {
                mutations.Add(($"{field} \"NaN\"", true, body => Set(body, field, JsonValue.Create("NaN"))));
                mutations.Add(($"{field} 1e400", true, body => Set(body, field, JsonNode.Parse("1e400"))));
                mutations.Add(($"{field} huge", false, body => Set(body, field, JsonNode.Parse(type == "integer" ? "2147483647" : "1e300"))));
                mutations.Add(($"{field} negative", false, body => Set(body, field, JsonValue.Create(-1))));
            }
            if (type == "string")
            {
                mutations.Add(($"{field} lone surrogate", true, body => Set(body, field, JsonValue.Create(LoneSurrogate))));
                mutations.Add(($"{field} huge text", fieldSchema?["enum"] is not null, body => Set(body, field, JsonValue.Create(new string('x', 100_000)))));
            }
            if (type == "array")
            {
                mutations.Add(($"{field} [null]", false, body => Set(body, field, new JsonArray((JsonNode?)null))));
                mutations.Add(($"{field} []", false, body => Set(body, field, new JsonArray())));
            }
            if (type == "object") mutations.Add(($"{field}.zzUnknown", true, body => Set(body, $"{field}.zzUnknown", JsonValue.Create(1))));
        }
        mutations.Add(("zzUnknown at the top", true, body => Set(body, "zzUnknown", JsonValue.Create(1))));
        mutations.Add(("observations rows with NaN and null", true, body => Set(body, "observations", JsonNode.Parse("""[ { "timestamp": "2024-02-05", "visitors": "NaN" }, null ]"""))));

        foreach (var (what, invalid, change) in mutations.OrderBy(_ => random.Next()).Take(MutationsPerOperation))
        {
            var body = JsonNode.Parse(valid)!;
            var changed = change(body);
            if (changed is null) continue;
            // JsonNode would write a lone surrogate as U+FFFD; the escape itself goes on the wire.
            cases.Add(new(name, method, concrete, Raw(changed.ToJsonString().Replace(LoneSurrogate, "\\ud800"), "application/json"), invalid, what));
        }
        // Bad encodings at the byte level: invalid UTF-8 inside a text value, and a truncated body.
        var bytes = Encoding.UTF8.GetBytes(valid);
        var quote = Array.IndexOf(bytes, (byte)'"', Array.IndexOf(bytes, (byte)':') + 1);
        if (quote > 0) cases.Add(new(name, method, concrete, Bytes([.. bytes[..(quote + 1)], 0xC3, 0x28, .. bytes[(quote + 1)..]]), true, "invalid UTF-8 in a value"));
        cases.Add(new(name, method, concrete, Raw(valid[..(valid.Length / 2)], "application/json"), true, "truncated body"));
        cases.Add(new(name, method, concrete, Raw(valid + ",", "application/json"), true, "trailing comma"));
        cases.Add(new(name, method, concrete, Raw("[]", "application/json"), true, "a list instead of an object"));
        return cases;
    }

    /// <summary>Every property path of a body schema (nested objects followed through their $ref), with its schema.</summary>
    private static IEnumerable<(string Field, JsonNode? Schema, JsonNode Parent)> Fields(JsonNode schema, JsonObject schemas, string prefix, int depth = 0)
    {
        if (depth > 3 || schema["properties"] is not JsonObject properties) yield break;
        foreach (var (name, property) in properties)
        {
            var resolved = Resolve(property, schemas);
            var field = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return (field, resolved, schema);
            foreach (var inner in Fields(resolved, schemas, field, depth + 1)) yield return inner;
        }
    }

    private static JsonNode Resolve(JsonNode? schema, JsonObject schemas)
    {
        if (schema?["$ref"]?.GetValue<string>() is { } reference)
        {
            var resolved = schemas[reference.Split('/')[^1]]!.DeepClone();
            if (resolved["type"] is null && resolved["enum"] is not null) resolved["type"] = "string";
            return resolved;
        }
        return schema ?? new JsonObject();
    }

    /// <summary>The body with <paramref name="field"/> (a dotted path; missing parents are created) set to <paramref name="value"/>.</summary>
    private static JsonNode? Set(JsonNode body, string field, JsonNode? value)
    {
        var parts = field.Split('.');
        var node = body;
        foreach (var part in parts[..^1])
        {
            if (node is not JsonObject obj) return null;
            node = obj[part] ??= new JsonObject();
        }
        if (node is not JsonObject target) return null;
        target[parts[^1]] = value;
        return body;
    }

    private static HttpContent? Body(JsonNode operation) =>
        operation["requestBody"]?["content"]?["application/json"] is not null ? Raw("{}", "application/json") : null;

    private static HttpContent Raw(string text, string mediaType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static HttpContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static HttpContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            if (name == "file") form.Add(new StringContent(value, Encoding.UTF8, "text/csv"), "file", "upload.csv");
            else form.Add(new StringContent(value), name);
        return form;
    }

    private static HttpContent FormBytes(byte[] file)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "upload.csv" } };
        form.Add(new StringContent("x"), "name");
        return form;
    }

    /// <summary>Waits for a queued job started by an accepted request, so the next request's counts are stable.</summary>
    private async Task Settle(string path, string body)
    {
        if (!path.StartsWith("/api/training-runs", StringComparison.Ordinal) && !path.StartsWith("/api/schedules", StringComparison.Ordinal)) return;
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        await fixture.Client.WaitForRunAsync(id, TimeSpan.FromMinutes(1));
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private Task<(int, int, int, int, int)> Counts() => fixture.Factory.QueryAsync(async db =>
        (await db.Datasets.CountAsync(), await db.TrainingRuns.CountAsync(), await db.Models.CountAsync(), await db.Schedules.CountAsync(), await db.Backtests.CountAsync()));
}
