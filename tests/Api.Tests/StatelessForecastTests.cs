using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forecasting.Api.Tests.Auth;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Api.Tests;

/// <summary>
/// POST /api/forecast: series sent inline (JSON or Nixtla's long CSV), fitted and forecast in the request, nothing stored;
/// the same numbers as training and forecasting the same data through the stored path.
/// </summary>
public sealed class StatelessForecastTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>A daily series with a weekly pattern, a trend and noise.</summary>
    private static double[] Daily(int days, int seed = 3)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(t => Math.Round(100 + 20 * Math.Sin(2 * Math.PI * t / 7) + 0.1 * t + random.NextDouble() * 4, 3)).ToArray();
    }

    private static string Day(int t) => new DateTime(2020, 1, 1).AddDays(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static string LongCsv(params (string Id, double[] Values)[] series)
    {
        var csv = new StringBuilder("unique_id,ds,y\n");
        foreach (var (id, values) in series)
            for (var t = 0; t < values.Length; t++) csv.Append(CultureInfo.InvariantCulture, $"{id},{Day(t)},{values[t].ToString("R", CultureInfo.InvariantCulture)}\n");
        return csv.ToString();
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<JsonElement> BadRequestAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        ProblemText.AssertPlain(text);
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").Clone();
    }

    private static string FirstError(JsonElement errors, string field)
    {
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error on '{field}': {errors}");
        return messages[0].GetString()!;
    }

    [Fact]
    public async Task Seasonal_naive_sent_inline_forecasts_what_the_stored_path_forecasts_for_the_same_data()
    {
        var client = factory.CreateClient();
        var values = Daily(120);
        var created = await (await client.PostAsJsonAsync("/api/datasets", new
        {
            name = "stateless-twin", frequency = "D",
            series = new[] { new { id = "s", start = Day(0), columns = new Dictionary<string, double[]> { ["y"] = values } } },
        })).ReadJsonAsync();
        var model = await client.TrainAsync(new { datasetId = created.Id(), targets = new[] { "y" }, horizon = 14, model = new { kind = "seasonal_naive" } });
        var stored = await OkAsync(await client.PostAsJsonAsync($"/api/models/{model.GetProperty("id").GetString()}/forecast",
            new { horizon = 14, levels = new[] { 80, 95 }, quantiles = new[] { 0.1, 0.5, 0.9 } }));

        var inline = await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 14, levels = new[] { 80, 95 }, quantiles = new[] { 0.1, 0.5, 0.9 }, model = new { kind = "seasonal_naive" },
            series = new[] { new { id = "s", start = Day(0), values } },
        }));
        Assert.Equal("seasonal_naive", inline.GetProperty("model").GetString());
        Assert.Equal("model", inline.GetProperty("method").GetString());
        Assert.Equal(stored.GetProperty("method").GetString(), inline.GetProperty("method").GetString());
        var forecast = inline.GetProperty("forecasts")[0];
        Assert.Equal("s", forecast.GetProperty("series").GetString());
        Assert.Equal(Day(119), forecast.GetProperty("origin").GetString());
        Assert.Equal("seasonal_naive", forecast.GetProperty("kind").GetString());
        var expected = stored.GetProperty("points").EnumerateArray().ToList();
        var actual = forecast.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(14, actual.Count);
        for (var k = 0; k < 14; k++)
        {
            Assert.Equal(expected[k].GetProperty("timestamp").GetString(), actual[k].GetProperty("timestamp").GetString());
            Assert.Equal(expected[k].GetProperty("values").GetProperty("y").ToString(), actual[k].GetProperty("values").GetProperty("y").ToString());
            Assert.Equal(values[113 + k % 7], actual[k].GetProperty("values").GetProperty("y").GetProperty("mean").GetDouble());
        }
    }

    [Fact]
    public async Task A_long_format_csv_answers_the_numbers_of_the_same_series_sent_as_json_and_csv_when_asked()
    {
        var client = factory.CreateClient();
        var a = Daily(60, 4);
        var b = Daily(45, 5);
        var json = await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 7, model = new { kind = "seasonal_naive" },
            series = new object[] { new { id = "a", start = Day(0), values = a }, new { id = "b", timestamps = Enumerable.Range(0, 45).Select(Day), values = b } },
        }));
        var fromCsv = await OkAsync(await client.PostAsync("/api/forecast?horizon=7&model=seasonal_naive&frequency=D", Csv(LongCsv(("a", a), ("b", b)))));
        Assert.Equal(json.GetProperty("forecasts").ToString(), fromCsv.GetProperty("forecasts").ToString());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/forecast?horizon=7&model=seasonal_naive&levels=80,95") { Content = Csv(LongCsv(("a", a), ("b", b))) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await client.SendAsync(request);
        var table = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, table);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("unique_id,ds,target,mean,lo-80,hi-80,lo-95,hi-95,error", lines[0]);
        Assert.Equal(1 + 2 * 7, lines.Length);
        Assert.StartsWith($"a,{Day(60)},y,{a[53].ToString("R", CultureInfo.InvariantCulture)},", lines[1]);
        Assert.StartsWith($"b,{Day(45)},y,{b[38].ToString("R", CultureInfo.InvariantCulture)},", lines[8]);
    }

    [Fact]
    public async Task AddHistory_answers_the_in_sample_one_step_forecasts_in_json_and_as_csv_rows_before_the_forecast()
    {
        var client = factory.CreateClient();
        var values = Daily(40);
        var answer = await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 3, addHistory = true, levels = new[] { 90 }, model = new { kind = "seasonal_naive", season = 7 },
            series = new[] { new { id = "s", start = Day(0), values } },
        }));
        var fitted = answer.GetProperty("forecasts")[0].GetProperty("fitted").EnumerateArray().ToList();
        Assert.Equal(40 - 7, fitted.Count); // the first week has no observation a season before it
        for (var i = 0; i < fitted.Count; i++)
        {
            Assert.Equal(Day(7 + i), fitted[i].GetProperty("timestamp").GetString());
            var value = fitted[i].GetProperty("values").GetProperty("y");
            Assert.Equal(values[i], value.GetProperty("mean").GetDouble());
            Assert.True(value.GetProperty("lower").GetProperty("90").GetDouble() < values[i] && values[i] < value.GetProperty("upper").GetProperty("90").GetDouble());
        }
        // The band of a fitted value is the model's one-step band, that of the forecast's first step.
        var first = answer.GetProperty("forecasts")[0].GetProperty("points")[0].GetProperty("values").GetProperty("y");
        var width = first.GetProperty("upper").GetProperty("90").GetDouble() - first.GetProperty("lower").GetProperty("90").GetDouble();
        var fittedWidth = fitted[^1].GetProperty("values").GetProperty("y") is var last
            ? last.GetProperty("upper").GetProperty("90").GetDouble() - last.GetProperty("lower").GetProperty("90").GetDouble() : 0;
        Assert.Equal(width, fittedWidth, 9);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/forecast?horizon=3&addHistory=true&model=seasonal_naive") { Content = Csv(LongCsv(("s", values))) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var lines = (await (await client.SendAsync(request)).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 33 + 3, lines.Length);
        Assert.StartsWith($"s,{Day(7)},y,{values[0].ToString("R", CultureInfo.InvariantCulture)},", lines[1]);
        Assert.StartsWith($"s,{Day(40)},y,", lines[34]);
    }

    [Fact]
    public async Task Quantiles_alone_answer_no_levels_and_name_the_bounds_of_the_intervals_they_define()
    {
        var client = factory.CreateClient();
        var answer = await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 5, quantiles = new[] { 0.1, 0.5, 0.9 }, model = new { kind = "naive" },
            series = new[] { new { id = "s", start = Day(0), values = Daily(30) } },
        }));
        var both = await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 5, levels = new[] { 80 }, model = new { kind = "naive" },
            series = new[] { new { id = "s", start = Day(0), values = Daily(30) } },
        }));
        for (var k = 0; k < 5; k++)
        {
            var value = answer.GetProperty("forecasts")[0].GetProperty("points")[k].GetProperty("values").GetProperty("y");
            var band = both.GetProperty("forecasts")[0].GetProperty("points")[k].GetProperty("values").GetProperty("y");
            Assert.Empty(value.GetProperty("lower").EnumerateObject());
            var q = value.GetProperty("quantiles");
            Assert.Equal(value.GetProperty("mean").GetDouble(), q.GetProperty("0.5").GetDouble());
            Assert.Equal(band.GetProperty("lower").GetProperty("80").GetDouble(), q.GetProperty("0.1").GetDouble());
            Assert.Equal(band.GetProperty("upper").GetProperty("80").GetDouble(), q.GetProperty("0.9").GetDouble());
        }
    }

    [Fact]
    public async Task Sarima_and_the_default_auto_answer_and_a_series_too_short_for_the_kind_falls_back_with_its_reason()
    {
        var client = factory.CreateClient();
        var sarima = await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 7, model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
            series = new object[] { new { id = "long", start = Day(0), values = Daily(200) }, new { id = "short", start = Day(0), values = Daily(5) } },
        }));
        var forecasts = sarima.GetProperty("forecasts");
        Assert.Equal("sarima", forecasts[0].GetProperty("kind").GetString());
        Assert.False(forecasts[0].TryGetProperty("fallback", out _));
        Assert.Equal(7, forecasts[0].GetProperty("points").GetArrayLength());
        Assert.Equal("naive", forecasts[1].GetProperty("kind").GetString()); // shorter than a season: the naive method
        Assert.Contains("needs at least 19 observations but the series has 5", forecasts[1].GetProperty("fallback").GetString());
        Assert.Equal(7, forecasts[1].GetProperty("points").GetArrayLength());

        var auto = await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 7, series = new[] { new { start = Day(0), values = Daily(70) } },
        }));
        Assert.Equal("auto", auto.GetProperty("model").GetString());
        Assert.Equal("0", auto.GetProperty("forecasts")[0].GetProperty("series").GetString());
        Assert.Equal(7, auto.GetProperty("forecasts")[0].GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task Nothing_is_written_to_the_database()
    {
        var client = factory.CreateClient();
        async Task<(int, int, int, int, int)> CountAsync() => await factory.QueryAsync(async db =>
            (await db.Datasets.CountAsync(), await db.Models.CountAsync(), await db.TrainingRuns.CountAsync(), await db.Series.CountAsync(), await db.AuditEvents.CountAsync()));
        var before = await CountAsync();
        await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 7, addHistory = true, model = new { kind = "sarima", order = new[] { 1, 0, 0 }, seasonalOrder = new[] { 0, 1, 1, 7 } },
            series = new[] { new { id = "s", start = Day(0), values = Daily(100) } },
        }));
        await OkAsync(await client.PostAsync("/api/forecast?horizon=7&model=seasonal_naive", Csv(LongCsv(("a", Daily(50)), ("b", Daily(50, 9))))));
        await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=7", Csv("unique_id,ds,y\na,2020-01-01,1\na,2020-01-03,2\n")));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_gap_names_the_series_and_the_first_missing_timestamp()
    {
        var client = factory.CreateClient();
        var errors = await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3",
            Csv("unique_id,ds,y\nA,2020-01-01,1\nA,2020-01-02,2\nB,2020-01-01,1\nB,2020-01-02,2\nB,2020-01-05,3\nA,2020-01-03,4\n")));
        Assert.StartsWith("Series 'B' (unique_id): Gap before 2020-01-05: expected 2020-01-03 after 2020-01-02 (line 5); 2 steps missing.", FirstError(errors, "line 6, column ds"));

        var json = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 3, series = new[] { new { id = "store-7", timestamps = new[] { "2020-01-01", "2020-01-02", "2020-01-04" }, values = new[] { 1.0, 2, 3 } } },
        }));
        Assert.StartsWith("Series 'store-7' (id): Gap before 2020-01-04: expected 2020-01-03", FirstError(json, "series[0].timestamps[2]"));

        // With a fill policy, as an upload, the gap is filled.
        await OkAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 3, fillPolicy = "interpolate", model = new { kind = "naive" },
            series = new[] { new { id = "store-7", timestamps = new[] { "2020-01-01", "2020-01-02", "2020-01-04" }, values = new[] { 1.0, 2, 3 } } },
        }));
    }

    [Fact]
    public async Task A_csv_without_unique_id_or_ds_or_y_names_the_column()
    {
        var client = factory.CreateClient();
        Assert.Contains("no 'unique_id' column", FirstError(await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv("ds,y\n2020-01-01,1\n"))), "header"));
        Assert.Contains("no 'ds' column", FirstError(await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv("unique_id,date,y\na,2020-01-01,1\n"))), "header"));
        Assert.Contains("no 'y' column", FirstError(await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv("unique_id,ds,sales\na,2020-01-01,1\n"))), "header"));
        Assert.Contains("leave out 'promo'", FirstError(await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv("unique_id,ds,y,promo\na,2020-01-01,1,0\n"))), "header"));
    }

    [Fact]
    public async Task A_timestamp_given_twice_is_refused_even_with_the_same_value()
    {
        var client = factory.CreateClient();
        var same = await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv("unique_id,ds,y\na,2020-01-01,1\na,2020-01-02,2\na,2020-01-02,2\n")));
        Assert.Equal("Series 'a' (unique_id): 2020-01-02 appears twice (line 3 and line 4); give each timestamp once.", FirstError(same, "line 4, column ds"));
        var different = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            horizon = 3, series = new[] { new { id = "a", timestamps = new[] { "2020-01-01", "2020-01-02", "2020-01-02" }, values = new[] { 1.0, 2, 5 } } },
        }));
        Assert.Contains("2020-01-02 appears twice (series[0].timestamps[1] and series[0].timestamps[2]) with a different y (2 vs 5)", FirstError(different, "series[0].values[2]"));
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_names_its_line_and_column_or_its_position()
    {
        var client = factory.CreateClient();
        var csv = await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv("unique_id,ds,y\na,2020-01-01,1\na,2020-01-02,two\na,2020-01-03,3\n")));
        Assert.StartsWith("'two' is not a number", FirstError(csv, "line 3, column y"));
        var json = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 3, series = new[] { new { id = "a", start = "2020-01-01", values = new object[] { 1, "2", 3 } } },
        }));
        Assert.Equal("\"2\" is not a number.", FirstError(json, "series[0].values[1]"));
    }

    [Fact]
    public async Task Unknown_fields_and_query_parameters_are_refused_by_name()
    {
        var client = factory.CreateClient();
        var json = await BadRequestAsync(await client.PostAsync("/api/forecast", new StringContent(
            """{ "frequency": "D", "h": 3, "series": [ { "start": "2020-01-01", "values": [1, 2, 3] } ] }""", Encoding.UTF8, "application/json")));
        Assert.Contains("Did you mean 'horizon'?", FirstError(json, "h"));
        var series = await BadRequestAsync(await client.PostAsync("/api/forecast", new StringContent(
            """{ "frequency": "D", "horizon": 3, "series": [ { "start": "2020-01-01", "columns": { "y": [1, 2, 3] } } ] }""", Encoding.UTF8, "application/json")));
        Assert.Contains("Unknown field", FirstError(series, "series[0].columns"));
        var query = await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3&h=3", Csv("unique_id,ds,y\na,2020-01-01,1\n")));
        Assert.Contains("Unknown query parameter 'h'", FirstError(query, "h"));
        var model = await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3&model=" + Uri.EscapeDataString("""{"kind":"seasonal_naive","units":[8]}"""), Csv(LongCsv(("a", Daily(30))))));
        Assert.Contains("'seasonal_naive' does not use units", FirstError(model, "model.units"));
        var inBody = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast?horizon=3", new { series = new[] { new { start = "2020-01-01", values = new[] { 1, 2 } } } }));
        Assert.Contains("fields of the body", FirstError(inBody, "horizon"));
    }

    [Fact]
    public async Task A_neural_kind_is_told_to_queue_a_training_run_and_a_missing_horizon_is_named()
    {
        var client = factory.CreateClient();
        var neural = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast", new
        {
            frequency = "D", horizon = 3, model = new { kind = "lstm", units = new[] { 8 } }, series = new[] { new { start = Day(0), values = Daily(30) } },
        }));
        Assert.Contains("queue a training run (POST /api/training-runs)", FirstError(neural, "model.kind"));
        var horizon = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast", new { frequency = "D", series = new[] { new { start = Day(0), values = Daily(30) } } }));
        Assert.Contains("horizon is required", FirstError(horizon, "horizon"));
    }

    [Fact]
    public async Task The_size_caps_are_refused_naming_their_configuration_keys()
    {
        await using var capped = ApiFactory.With(new()
        {
            ["Limits:Stateless:MaxPoints"] = "50", ["Limits:Stateless:MaxSeries"] = "2", ["Limits:Stateless:MaxHorizon"] = "10",
        });
        var client = capped.CreateClient();
        var points = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast", new { frequency = "D", horizon = 3, series = new[] { new { start = Day(0), values = Daily(51) } } }));
        Assert.Contains("Limits:Stateless:MaxPoints", FirstError(points, "series"));
        var rows = await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv(LongCsv(("a", Daily(51))))));
        Assert.Contains("Limits:Stateless:MaxPoints", FirstError(rows, "body"));
        var series = await BadRequestAsync(await client.PostAsync("/api/forecast?horizon=3", Csv(LongCsv(("a", Daily(10)), ("b", Daily(10)), ("c", Daily(10))))));
        Assert.Contains("Limits:Stateless:MaxSeries", FirstError(series, "series"));
        var horizon = await BadRequestAsync(await client.PostAsJsonAsync("/api/forecast", new { frequency = "D", horizon = 11, series = new[] { new { start = Day(0), values = Daily(40) } } }));
        Assert.Contains("Limits:Stateless:MaxHorizon", FirstError(horizon, "horizon"));
    }

    [Fact]
    public async Task Stateless_forecasts_have_their_own_rate_limit_per_key()
    {
        using var keys = KeysMode.Factory(new() { ["Limits:Stateless:Rate:PermitLimit"] = "1", ["Limits:Stateless:Rate:Window"] = "00:01:00" });
        var (key, _) = await keys.CreateKeyAsync("inline", "read");
        var client = keys.Client(key);
        object Body() => new { frequency = "D", horizon = 3, model = new { kind = "naive" }, series = new[] { new { start = Day(0), values = Daily(20) } } };
        await OkAsync(await client.PostAsJsonAsync("/api/forecast", Body()));
        var refused = await client.PostAsJsonAsync("/api/forecast", Body());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // The stored path's forecasts count in their own window (Limits:Forecasts): an unknown model is still a 404, not a 429.
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/models/{Guid.NewGuid()}/forecast", new { })).StatusCode);
    }
}
