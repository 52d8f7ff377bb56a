using System.Text.Json;
using Forecasting.Tests.Shared;

namespace Forecasting.Training.Tests.Statistical.Transforms;

/// <summary>The cases of tests/Reference/Fixtures/boxcox.json (R's BoxCox.lambda and forecast(Arima(…, lambda))).</summary>
public static class BoxCoxReference
{
    public static IEnumerable<JsonElement> Cases => ReferenceFixture.Load("boxcox.json").GetProperty("cases").EnumerateArray();

    public static JsonElement Case(string name) => Cases.Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> Names => [.. Cases.Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> AutoNames => [.. Cases.Where(c => c.GetProperty("auto").GetBoolean()).Select(c => c.GetProperty("name").GetString()!)];

    public static double[] Numbers(this JsonElement c, string name) => [.. c.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    public static int[] Integers(this JsonElement c, string name) => [.. c.GetProperty(name).EnumerateArray().Select(v => v.GetInt32())];
}
