using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary><c>seasonal_naive</c>: the value one season ago (season defaults to the frequency's: 7 for daily data; 1 is the naive model).</summary>
public sealed class SeasonalNaiveModelKind : StatisticalModelKind<NaiveModel>
{
    public override string Name => "seasonal_naive";

    protected override FitCost Cost => FitCost.Light;

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("season", ModelFieldType.Integer, SeasonField.Description) { Minimum = 0 },
    ];

    private static int SeasonOf(ModelSpec model, Frequency frequency) => frequency.SeasonOf(model.Season);

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        var season = SeasonOf(model, frequency);
        if (model.Season < 0) yield return SeasonField.Negative;
        else if (trainingLength <= season)
            yield return new FieldError("split", $"seasonal_naive with season {season} needs more than {season} training observations; the training period has {trainingLength}.");
    }

    protected override NaiveModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        NaiveModel.Fit(training, SeasonOf(model, frequency));

    protected override bool FitsConstantSeries => true;

    protected override int ParameterCount(NaiveModel fit) => 1;
}
