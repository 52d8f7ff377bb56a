using System.Net;
using System.Text;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>Uploads in Nixtla's long format over HTTP, as a StatsForecast user sends them (issue 21).</summary>
public sealed class LongFormatUploadTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static string Panel(string header)
    {
        var csv = new StringBuilder(header + "\n");
        for (var week = 0; week < 10; week++)
            for (var sku = 0; sku < 3; sku++)
                csv.Append($"SKU00{sku},{new DateTime(2024, 1, 7).AddDays(7 * week):yyyy-MM-dd},{10 * sku + week},{week % 2}\n");
        return csv.ToString();
    }

    private static MultipartFormDataContent Form(string csv, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "sales.csv" } };
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    [Fact]
    public async Task A_unique_id_ds_y_file_uploads_as_a_panel_as_it_is()
    {
        var client = factory.CreateClient();
        using var form = Form(Panel("unique_id,ds,y,promo"));
        var response = await client.PostAsync("/api/datasets", form);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal("W", body.GetProperty("frequency").GetString());
        Assert.Equal(["SKU000", "SKU001", "SKU002"], body.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(["y", "promo"], body.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        // Newer weeks in the same layout append to each series, again without fields.
        using var newer = Form("unique_id,ds,y,promo\nSKU000,2024-03-17,9,1\nSKU002,2024-03-17,29,1\n");
        var appended = await client.PostAsync($"/api/datasets/{body.Id()}/observations", newer);
        var result = await appended.ReadJsonAsync();
        Assert.True(appended.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal(2, result.GetProperty("added").GetInt32());
        Assert.Equal([11, 10, 11], result.GetProperty("dataset").GetProperty("series").EnumerateArray().Select(s => s.GetProperty("length").GetInt32()));
    }

    [Fact]
    public async Task Another_layout_is_a_400_that_names_the_fields_to_pass_and_then_uploads()
    {
        var client = factory.CreateClient();
        var csv = Panel("sku,week,y,promo");
        using var form = Form(csv);
        var response = await client.PostAsync("/api/datasets", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("line 2, column sku")[0].GetString();
        Assert.EndsWith("If sku names the series, pass seriesColumn=sku and timeColumn=week.", message);

        using var fixedForm = Form(csv, ("seriesColumn", "sku"), ("timeColumn", "week"));
        var retried = await client.PostAsync("/api/datasets", fixedForm);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(3, (await retried.ReadJsonAsync()).GetProperty("series").GetArrayLength());
    }
}
