using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary><c>seasonal_naive</c>: the value one season ago (season defaults to the frequency's: 7 for daily data).</summary>
public sealed class SeasonalNaiveModelKind : StatisticalModelKind<NaiveModel>
{
    public override string Name => "seasonal_naive";

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("season", ModelFieldType.Integer, "The season length in steps; default from the frequency (7 daily, 24 hourly, 12 monthly).") { Minimum = 1 },
    ];

    private static int SeasonOf(ModelSpec model, Frequency frequency) => model.Season ?? frequency.DefaultSeason;

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int shortestTraining)
    {
        var season = SeasonOf(model, frequency);
        if (season < 1) yield return new FieldError("model.season", "season must be at least 1.");
        else if (shortestTraining <= season)
            yield return new FieldError("split", $"seasonal_naive with season {season} needs more than {season} training observations; the shortest training period has {shortestTraining}.");
    }

    protected override NaiveModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        NaiveModel.Fit(training, SeasonOf(model, frequency));

    protected override int ParameterCount(NaiveModel fit) => 1;
}
