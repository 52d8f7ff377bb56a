using Forecasting.Domain;
using Forecasting.Domain.Windows;

namespace Forecasting.Domain.Tests.Windows;

public sealed class WindowBuilderTests
{
    private static Series Steps(int length, Func<int, double> value, string column = "y", Dictionary<string, double[]>? more = null)
    {
        var columns = new Dictionary<string, double[]> { [column] = Enumerable.Range(0, length).Select(value).ToArray() };
        foreach (var (k, v) in more ?? []) columns[k] = v;
        return new Series("s", 0, length, columns);
    }

    private static WindowSet Windows(Series series, FeatureLayout layout, IndexRange range, int windowLength, int horizon, TargetShape shape)
    {
        var features = WindowBuilder.FeatureRows(series, layout, Scaler.Identity);
        var targets = WindowBuilder.TargetRows(series, layout.Targets, Scaler.Identity);
        return WindowBuilder.Build([(0, features, targets, range)], layout.Count, layout.Targets.Count, windowLength, horizon, shape);
    }

    private static FeatureLayout Univariate => new([new FeatureColumn("y", false, null, "y")], ["y"]);

    [Fact]
    public void Matches_the_chapters_timeseries_dataset_from_array_example()
    {
        // tf.keras.utils.timeseries_dataset_from_array(range(6), targets=range(6)[3:], sequence_length=3)
        var set = Windows(Steps(6, t => t), Univariate, new IndexRange(0, 6), 3, 1, TargetShape.Vector);
        Assert.Equal(3, set.Count);
        Assert.Equal([0f, 1, 2, 1, 2, 3, 2, 3, 4], set.Inputs);
        Assert.Equal([3f, 4, 5], set.Targets);
        Assert.Equal([2, 3, 4], set.Origins.Select(o => o.Index));
    }

    [Fact]
    public void Windows_stay_inside_the_period_so_the_first_target_is_window_length_after_its_start()
    {
        var set = Windows(Steps(100, t => t), Univariate, new IndexRange(40, 60), 5, 2, TargetShape.Vector);
        Assert.Equal(20 - 5 - 2 + 1, set.Count);
        Assert.Equal(45f, set.Targets[0]);           // first target: 5 steps after the period's start
        Assert.Equal(59f, set.Targets[^1]);          // last target: the period's last step
        Assert.Equal([45f, 46f], set.Targets[..2]); // direct: the next 2 values after the window
    }

    [Fact]
    public void Validation_windows_take_inputs_from_before_the_period_so_the_first_target_is_its_first_step()
    {
        // Train [0, 40), validation [40, 60): the first validation window ends at 39 and targets 40.
        var span = WindowBuilder.ValidationSpan(new IndexRange(0, 40), new IndexRange(40, 60), 5, TargetShape.Vector);
        var set = Windows(Steps(100, t => t), Univariate, span, 5, 2, TargetShape.Vector);
        Assert.Equal(20 - 2 + 1, set.Count);                // every origin whose 2 targets lie in the period
        Assert.Equal([40f, 41f], set.Targets[..2]);
        Assert.Equal([35f, 36, 37, 38, 39], set.Inputs[..5]); // inputs from the training period
        Assert.Equal(59f, set.Targets[^1]);

        // With a gap after training (the chapter's train to 2018-12-31, validation from 2019-02-26) the inputs come from the gap.
        var gap = WindowBuilder.ValidationSpan(new IndexRange(0, 40), new IndexRange(50, 60), 5, TargetShape.Vector);
        Assert.Equal(new IndexRange(45, 60), gap);
    }

    [Fact]
    public void Sequence_validation_windows_never_target_the_training_period()
    {
        // seq2seq trains on targets at every step: a window starting at s targets s+1 onwards, so s ≥ trainEnd − 1.
        var contiguous = WindowBuilder.ValidationSpan(new IndexRange(0, 40), new IndexRange(40, 60), 5, TargetShape.EveryStep);
        Assert.Equal(new IndexRange(39, 60), contiguous);
        var set = Windows(Steps(100, t => t), Univariate, contiguous, 5, 2, TargetShape.EveryStep);
        Assert.Equal(40f, set.Targets.Min());

        // After a gap of at least windowLength, the windows are those of the vector case: targets of the last step in the period.
        Assert.Equal(new IndexRange(45, 60), WindowBuilder.ValidationSpan(new IndexRange(0, 40), new IndexRange(50, 60), 5, TargetShape.EveryStep));
        // A cropped convolution's first output is at step `offset`, so the window may start that much earlier.
        Assert.Equal(new IndexRange(36, 60), WindowBuilder.ValidationSpan(new IndexRange(0, 40), new IndexRange(40, 60), 5, new TargetShape(true, Offset: 3, Stride: 2)));
        // A validation series of a panel split has no training period: its windows start at the series' start.
        Assert.Equal(new IndexRange(0, 60), WindowBuilder.ValidationSpan(default, new IndexRange(0, 60), 5, TargetShape.EveryStep));
    }

    [Fact]
    public void Sequence_targets_hold_the_next_values_at_every_step_and_conv_targets_are_cropped_and_strided()
    {
        var set = Windows(Steps(20, t => t), Univariate, new IndexRange(0, 20), 6, 3, TargetShape.EveryStep);
        Assert.Equal(6, set.OutSteps);
        Assert.Equal([1f, 2, 3, 2, 3, 4], set.Targets[..6]);        // steps 0 and 1 of the first window
        Assert.Equal([6f, 7, 8], set.Targets[15..18]);               // its last step: the values after the window

        var conv = Windows(Steps(20, t => t), Univariate, new IndexRange(0, 20), 6, 1, new TargetShape(true, Offset: 3, Stride: 2));
        Assert.Equal(2, conv.OutSteps);                              // Conv1D(kernel 4, stride 2) on 6 steps: outputs at steps 3 and 5
        Assert.Equal([4f, 6f], conv.Targets[..2]);                   // targets[:, 3::2]
    }

    [Fact]
    public void Known_future_categories_are_one_hot_values_of_the_next_step()
    {
        var series = Steps(5, t => 10 * t, more: new() { ["day"] = [0, 1, 2, 1, 0] });
        var frame = new DatasetFrame(Frequency.Steps, [ColumnInfo.Numeric("y"), new ColumnInfo("day", ColumnKind.Categorical, ["A", "U", "W"])], [series]);
        var layout = FeatureLayout.For(new TrainingRunSpec { Targets = ["y"], KnownFuture = ["day"] }, frame);
        Assert.Equal(["y", "next_day_A", "next_day_U", "next_day_W"], layout.Features.Select(f => f.Name));
        var rows = WindowBuilder.FeatureRows(series, layout, Scaler.Identity);
        Assert.Equal([0f, 0, 1, 0], rows[..4]);   // step 0: y=0, next day is 'U'
        Assert.Equal([30f, 1, 0, 0], rows[12..16]); // step 3: y=30, next day is 'A'
        Assert.Equal([40f, 1, 0, 0], rows[16..20]); // step 4: tomorrow's type is not known; the last known one ('A') is repeated
        var future = new Series("s", 5, 1, new Dictionary<string, double[]> { ["day"] = [2] });
        Assert.Equal([40f, 0, 0, 1], WindowBuilder.FeatureRows(series, layout, Scaler.Identity, future)[16..20]);
    }

    [Fact]
    public void Standard_scaling_is_fitted_on_the_training_split_only()
    {
        var series = Steps(10, t => t < 4 ? t : 1000); // training values 0..3, later values huge
        var periods = new Dictionary<string, SeriesPeriods> { ["s"] = new(new IndexRange(0, 4), new IndexRange(4, 10), null) };
        var scaler = Scaler.Fit(new ScalingSpec { Kind = ScalingKind.Standard }, ["y"], [series], periods);
        var factors = scaler.For("y");
        Assert.Equal(1.5, factors.Offset, 12);
        Assert.Equal(Math.Sqrt(1.25), factors.Scale, 12);
        Assert.Equal(1000, factors.Undo(factors.Apply(1000)), 3);
        Assert.Equal(1e-6f, Scaler.Fit(new ScalingSpec { Kind = ScalingKind.Divide, By = 1e6 }, ["y"], [series], periods).For("y").Apply(1), 12);
    }
}
