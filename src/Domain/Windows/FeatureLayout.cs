namespace Forecasting.Domain.Windows;

/// <summary>
/// One input feature of a neural model: a numeric column's value at step t, or a known-future column's
/// value at step t+1 (one-hot per category when categorical), as the chapter feeds the next day's type.
/// </summary>
public sealed record FeatureColumn(string Column, bool KnownFuture, int? Category, string Name);

/// <summary>The ordered features of every time step, and the targets, of a neural model.</summary>
public sealed record FeatureLayout(IReadOnlyList<FeatureColumn> Features, IReadOnlyList<string> Targets)
{
    public int Count => Features.Count;

    /// <summary>
    /// Past-value inputs first (numeric, scaled like the targets), then known-future covariates
    /// (numeric, or one feature per category): bus, rail and next_day_type_A/U/W make the chapter's 5.
    /// </summary>
    public static FeatureLayout For(TrainingRunSpec spec, DatasetFrame frame)
    {
        var features = new List<FeatureColumn>();
        foreach (var input in spec.EffectiveInputs) features.Add(new FeatureColumn(input, false, null, input));
        foreach (var known in spec.KnownFuture ?? [])
        {
            var column = frame.Column(known) ?? throw new ArgumentException($"Dataset has no column '{known}'.");
            if (column.Kind == ColumnKind.Categorical)
                for (var c = 0; c < column.Categories.Count; c++)
                    features.Add(new FeatureColumn(known, true, c, $"next_{known}_{column.Categories[c]}"));
            else features.Add(new FeatureColumn(known, true, null, $"next_{known}"));
        }
        return new FeatureLayout(features, spec.Targets);
    }
}
