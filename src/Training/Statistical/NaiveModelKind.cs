using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical;

/// <summary><c>naive</c>: tomorrow equals today.</summary>
public sealed class NaiveModelKind : StatisticalModelKind<NaiveModel>
{
    public override string Name => "naive";

    protected override FitCost Cost => FitCost.Light;

    protected override IReadOnlyList<ModelField> Fields => [];

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        if (trainingLength < 2) yield return new FieldError("split", "The naive model needs at least 2 training observations.");
    }

    protected override NaiveModel Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken) =>
        NaiveModel.Fit(training, 1);

    protected override bool FitsConstantSeries => true;

    protected override int ParameterCount(NaiveModel fit) => 1;
}
