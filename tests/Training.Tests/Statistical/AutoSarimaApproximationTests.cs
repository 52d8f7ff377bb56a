using System.Text.Json;
using Forecasting.Domain;
using Forecasting.Tests.Shared;
using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>
/// auto_sarima's approximation for long series against R's auto.arima (tests/Reference/autoarima.R): candidates
/// compared by conditional-sum-of-squares fits in R's order with R's approximate AICc, the chosen one refitted exactly.
/// </summary>
public sealed class AutoSarimaApproximationTests
{
    private static readonly JsonElement Fixture = ReferenceFixture.Load("autoarima.json");

    public static TheoryData<string> Series() => [.. Fixture.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];

    private static JsonElement Entry(string name) => Fixture.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private static SarimaSpec Spec(JsonElement model, int season)
    {
        var order = model.GetProperty("order").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var seasonal = model.GetProperty("seasonalOrder").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return new SarimaSpec(order[0], order[1], order[2], seasonal[0], seasonal[1], seasonal[2], season, model.GetProperty("constant").GetBoolean());
    }

    private static (double[] Values, int Season, AutoSarimaResult Ours) Search(string name, AutoSarimaApproximation approximation = AutoSarimaApproximation.Auto)
    {
        var entry = Entry(name);
        var values = entry.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var season = entry.GetProperty("season").GetInt32();
        return (values, season, AutoSarima.Search(values, season, new AutoSarimaOptions(MaxDegreeOfParallelism: 1, Approximation: approximation)));
    }

    /// <summary>
    /// The walk compares R's models in R's order, each with R's approximate AICc (our offset is the Gaussian constant
    /// n*(log 2π + 1) where R's is the white-noise fit's −2 log L − n log σ², one shift for every model), and refuses the
    /// same ones. The conditional sum of squares can have several minima and R's BFGS and our L-BFGS do not always stop
    /// at the same one: of the 131 models here 4 differ (gas: two where we find a lower minimum with an MA root inside
    /// 1.01; wineind: one where R stops at a non-invertible minimum; nottem: one where R's numerical Hessian is
    /// indefinite), none of them on the walk's path.
    /// </summary>
    [Theory]
    [MemberData(nameof(Series))]
    public void Compares_R_models_in_R_order_with_R_approximate_aicc(string name)
    {
        var entry = Entry(name);
        var (values, season, ours) = Search(name);
        var compared = entry.GetProperty("compared").EnumerateArray().ToList();
        var approximate = ours.Candidates.Where(c => c.Approximate).ToList();

        Assert.Equal(compared.Select(c => Spec(c, season)), approximate.Select(c => c.Spec));
        var differing = new List<string>();
        for (var i = 0; i < compared.Count; i++)
        {
            var theirs = compared[i].GetProperty("aicc");
            var spec = approximate[i].Spec;
            var effective = values.Length - spec.Differences - spec.SeasonalDifferences * season;
            var expected = theirs.ValueKind == JsonValueKind.Number
                ? theirs.GetDouble() - entry.GetProperty("offset").GetDouble() + effective * (Math.Log(2 * Math.PI) + 1)
                : double.PositiveInfinity;
            var agree = double.IsFinite(expected)
                ? approximate[i].Failure is null && Math.Abs(approximate[i].Aicc!.Value - expected) <= 0.01
                : approximate[i].Failure is not null;
            if (!agree) differing.Add($"{spec}: R {expected}, ours {approximate[i].Aicc} {approximate[i].Failure}");
        }
        Assert.True(differing.Count <= 2, string.Join("; ", differing));
    }

    /// <summary>
    /// R refits the best approximate model exactly and keeps it when accepted: then we choose the same orders. On co2 R's
    /// exact fits of its three best have an MA root at 1.0082–1.0090 (rejected by the 1.01 rule), where ours (statsmodels'
    /// likelihood) does not converge for the first and accepts the second, SARIMA(1,1,1)(1,1,2)[12].
    /// </summary>
    [Theory]
    [MemberData(nameof(Series))]
    public void Chooses_R_orders_when_R_accepts_its_first_refit(string name)
    {
        var entry = Entry(name);
        var (_, season, ours) = Search(name);
        var refitted = entry.GetProperty("refitted").EnumerateArray().ToList();
        var exact = ours.Candidates.Where(c => !c.Approximate).ToList();

        Assert.Equal(Spec(refitted[0], season), exact[0].Spec);
        if (refitted[0].GetProperty("accepted").GetBoolean()) Assert.Equal(Spec(entry.GetProperty("chosen"), season), ours.BestSpec);
        else Assert.Equal(new SarimaSpec(1, 1, 1, 1, 1, 2, 12), ours.BestSpec);
        Assert.Equal(exact[^1].Spec, ours.BestSpec);
        Assert.All(exact[..^1], c => Assert.StartsWith("Rejected:", c.Failure));
    }

    /// <summary>The model returned is the exact maximum-likelihood fit of the chosen orders, the same as sarima fits.</summary>
    [Theory]
    [MemberData(nameof(Series))]
    public void The_chosen_model_is_the_exact_fit_of_its_orders(string name)
    {
        var (values, _, ours) = Search(name);
        var exact = SarimaEstimator.Fit(values, ours.BestSpec);

        Assert.Equal(exact.Parameters, ours.Best.Parameters);
        Assert.Equal(exact.LogLikelihood, ours.Best.LogLikelihood);
        Assert.Equal(exact.Aicc, ours.Best.Aicc);
        Assert.Equal(exact.Aicc, ours.Candidates.Single(c => !c.Approximate && c.Failure is null).Aicc);
    }

    [Fact]
    public void Never_fits_every_candidate_exactly_and_always_approximates_short_series()
    {
        var (_, _, exact) = Search("wineind", AutoSarimaApproximation.Never);
        Assert.All(exact.Candidates, c => Assert.False(c.Approximate));
        Assert.Equal(exact.Candidates.Single(c => c.Spec == exact.BestSpec).Aicc, exact.Best.Aicc);

        var y = DifferencingTests.Values(DifferencingTests.Entry("USAccDeaths"));
        var auto = AutoSarima.Search(y, 12, new AutoSarimaOptions(MaxDegreeOfParallelism: 1));
        var always = AutoSarima.Search(y, 12, new AutoSarimaOptions(MaxDegreeOfParallelism: 1, Approximation: AutoSarimaApproximation.Always));
        Assert.All(auto.Candidates, c => Assert.False(c.Approximate));
        Assert.Contains(always.Candidates, c => c.Approximate);
        Assert.Equal(SarimaEstimator.Fit(y, always.BestSpec).LogLikelihood, always.Best.LogLikelihood);
    }

    /// <summary>With fits computed ahead in parallel, the refits follow the walk's models only, so the choice is the serial one.</summary>
    [Fact]
    public void The_choice_does_not_depend_on_the_degree_of_parallelism()
    {
        var (values, season, serial) = Search("co2");
        var parallel = AutoSarima.Search(values, season, new AutoSarimaOptions(MaxDegreeOfParallelism: 4));
        Assert.Equal(serial.BestSpec, parallel.BestSpec);
        Assert.Equal(serial.Best.Aicc, parallel.Best.Aicc);
    }
}
