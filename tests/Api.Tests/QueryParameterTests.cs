using System.Net;
using Forecasting.Api.Tests.Infrastructure;

namespace Forecasting.Api.Tests;

/// <summary>A query value that does not parse is a 400 naming the parameter and the form it takes, in the API's words.</summary>
public sealed class QueryParameterTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/datasets?skip=abc", "skip", "a whole number")]
    [InlineData("/api/training-runs?datasetId=nope", "datasetId", "an id")]
    [InlineData("/api/models?take=1.5", "take", "a whole number")]
    public async Task A_query_value_of_the_wrong_form_is_a_400_naming_the_parameter(string url, string parameter, string expected)
    {
        var response = await factory.CreateClient().GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        ProblemText.AssertPlain(text);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Contains(expected, errors.GetProperty(parameter)[0].GetString());
    }
}
