using Forecasting.Domain;
using Forecasting.Training.Statistical;

namespace Forecasting.Training.Tests.Statistical;

/// <summary>How a statistical model's regressors are built from its known-future columns: one-hot without the most common training level, future rows after the series.</summary>
public sealed class RegressorLayoutTests
{
    // Codes into [x, y, z]: y is the most common in the training period (0..6), z beyond it.
    private static readonly double[] Kind = [1, 1, 0, 1, 2, 1, 0, 2, 2, 2, 2];

    private static DatasetFrame Frame() => new(Frequency.Steps,
        [ColumnInfo.Numeric("v"), ColumnInfo.Numeric("promo"), new ColumnInfo("kind", ColumnKind.Categorical, ["x", "y", "z"])],
        [new Series("s", 0, Kind.Length, new Dictionary<string, double[]>
        {
            ["v"] = Enumerable.Range(0, Kind.Length).Select(t => (double)t).ToArray(),
            ["promo"] = [0, 1, 0, 0, 1, 0, 0, 1, double.NaN, 0, 1],
            ["kind"] = Kind,
        })]);

    private static RegressorLayout Layout() => RegressorLayout.For(
        new TrainingRunSpec { Targets = ["v"], KnownFuture = ["promo", "kind"], Model = new ModelSpec { Kind = "sarima" } }, Frame(),
        new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, 7), null, null) })!;

    [Fact]
    public void Categorical_columns_are_one_hot_without_their_most_common_training_level()
    {
        var layout = Layout();
        Assert.Equal(["promo", "kind=x", "kind=z"], layout.Columns.Select(c => c.Name));
        Assert.Equal("y", layout.References["kind"]);
        var values = layout.Values(Frame().Series[0], 0, 7, null, Frequency.Steps);
        Assert.Equal([0, 1, 0, 0, 1, 0, 0], values[0]);
        Assert.Equal([0, 0, 1, 0, 0, 0, 1], values[1]);
        Assert.Equal([0, 0, 0, 0, 1, 0, 0], values[2]);
    }

    [Fact]
    public void Rows_past_the_series_come_from_its_future_rows_and_the_first_missing_value_is_named()
    {
        var layout = Layout();
        var series = Frame().Series[0];
        var future = new Series("s", Kind.Length, 2, new Dictionary<string, double[]> { ["promo"] = [1, 0], ["kind"] = [0, 1] });
        var values = layout.Values(series, 9, 5, future, Frequency.Steps);
        Assert.Equal([0, 1, 1, 0, double.NaN], values[0]); // rows 9, 10 stored, 11, 12 future, 13 neither
        Assert.Equal([0, 0, 1, 0, double.NaN], values[1]);
        Assert.Equal(("promo", 13), layout.FirstMissing(values, 9, 9, 14));
        Assert.Equal(("promo", 8), layout.FirstMissing(layout.Values(series, 0, 11, null, Frequency.Steps), 0, 0, 11));
        Assert.Null(layout.FirstMissing(values, 9, 9, 13));
    }
}
