namespace Forecasting.Domain.Windows;

/// <summary>
/// One input feature of a neural model: a numeric column's value at step t, or a known-future column's
/// value at step t + <see cref="Lead"/> (one-hot per category when categorical), as the chapter feeds the next day's type.
/// </summary>
public sealed record FeatureColumn(string Column, bool KnownFuture, int? Category, string Name, int Lead = 1);

/// <summary>The ordered features of every time step, and the targets, of a neural model.</summary>
public sealed record FeatureLayout(IReadOnlyList<FeatureColumn> Features, IReadOnlyList<string> Targets)
{
    public int Count => Features.Count;

    /// <summary>
    /// Past-value inputs first (numeric, scaled like the targets), then known-future covariates
    /// (numeric, or one feature per category): bus, rail and next_day_type_A/U/W make the chapter's 5.
    /// A recursive model reads the next step's covariates and is fed each later step's as it goes; a direct or
    /// seq2seq model forecasts steps 1..horizon in one pass, so every step carries the covariates of the
    /// <c>horizon</c> steps after it (leads 1..h, as NeuralForecast's futr_exog): the window's last row holds
    /// those of every step it forecasts.
    /// </summary>
    public static FeatureLayout For(TrainingRunSpec spec, DatasetFrame frame)
    {
        var features = new List<FeatureColumn>();
        foreach (var input in spec.EffectiveInputs) features.Add(new FeatureColumn(input, false, null, input));
        var leads = spec.Strategy == ForecastStrategy.Recursive ? 1 : spec.Horizon;
        for (var lead = 1; lead <= leads; lead++)
            foreach (var known in spec.EffectiveKnownFuture)
            {
                var column = frame.Column(known) ?? throw new ArgumentException($"Dataset has no column '{known}'.");
                var prefix = lead == 1 ? "next" : $"next{lead}";
                if (column.Kind == ColumnKind.Categorical)
                    for (var c = 0; c < column.Categories.Count; c++)
                        features.Add(new FeatureColumn(known, true, c, $"{prefix}_{known}_{column.Categories[c]}", lead));
                else features.Add(new FeatureColumn(known, true, null, $"{prefix}_{known}", lead));
            }
        return new FeatureLayout(features, spec.Targets);
    }
}
