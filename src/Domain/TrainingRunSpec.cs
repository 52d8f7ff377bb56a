using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>The body of POST /api/training-runs: what to train, on which data, and how (API.md).</summary>
public sealed record TrainingRunSpec
{
    /// <summary>The dataset to train on (required).</summary>
    [JsonRequired]
    public Guid DatasetId { get; init; }

    /// <summary>Series ids of a panel to use; null or empty means all.</summary>
    public IReadOnlyList<string>? Series { get; init; }

    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Past-value inputs; defaults to the targets.</summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>Covariates known one step ahead (value of t+1 fed at step t), one-hot when categorical.</summary>
    public IReadOnlyList<string>? KnownFuture { get; init; }

    /// <summary>Calendar features generated from each timestamp as known-future columns (<see cref="CalendarColumns"/>); neural kinds.</summary>
    public IReadOnlyList<CalendarFeature>? Calendar { get; init; }

    /// <summary>A country whose public holidays become known-future columns (<see cref="HolidayColumns"/>); neural kinds.</summary>
    public HolidaySpec? Holidays { get; init; }

    public int? WindowLength { get; init; }

    public int Horizon { get; init; } = 1;

    /// <summary>direct, recursive or seq2seq.</summary>
    public ForecastStrategy Strategy { get; init; } = ForecastStrategy.Direct;

    public SplitSpec? Split { get; init; }

    public ScalingSpec? Scaling { get; init; }

    /// <summary>Statistical kinds: Box-Cox or log1p, fitted on the transformed scale, forecasts on the original one.</summary>
    public TransformSpec? Transform { get; init; }

    public ModelSpec Model { get; init; } = new();

    public TrainingSettings? Training { get; init; }

    /// <summary>Interval levels in percent whose coverage and interval score the metrics report (default 80 and 95).</summary>
    public IReadOnlyList<double>? Levels { get; init; }

    /// <summary>How conformal intervals are calibrated; null: on the validation period.</summary>
    public IntervalsSpec? Intervals { get; init; }

    /// <summary>
    /// The values the targets can take; forecasts are served, and scored, clipped to them. Null: the bounds the targets'
    /// columns declare (<see cref="WithDeclaredBounds"/>), else unbounded.
    /// </summary>
    public ForecastBounds? Bounds { get; init; }

    /// <summary>What a statistical run fits to a series its kind cannot fit; null: seasonal naive.</summary>
    public FallbackMethod? Fallback { get; init; }

    /// <summary>
    /// The share of series (and targets) the kind itself must fit, in (0, 1], for a statistical run to succeed; null: at
    /// least one.
    /// </summary>
    public double? MinFittedShare { get; init; }

    /// <summary>The known-future columns a model reads: the request's, then those its calendar features and holidays generate.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> EffectiveKnownFuture =>
        [.. KnownFuture ?? [], .. CalendarColumns.Columns(Calendar).Select(c => c.Name), .. HolidayColumns.Columns(Holidays).Select(c => c.Name)];

    [JsonIgnore]
    public IReadOnlyList<string> EffectiveInputs => Inputs is { Count: > 0 } ? Inputs : Targets;

    /// <summary>
    /// The request with its own bounds, or else those every target's column declares (a non-negative column's models
    /// serve non-negative forecasts without each request saying so). Targets declaring different bounds keep none here:
    /// the validator asks the request to choose.
    /// </summary>
    public TrainingRunSpec WithDeclaredBounds(DatasetFrame frame) =>
        Bounds is null && DeclaredBounds(frame) is [{ } declared] ? this with { Bounds = declared } : this;

    /// <summary>The distinct bounds the targets' columns declare (null for a target that declares none).</summary>
    public IReadOnlyList<ForecastBounds?> DeclaredBounds(DatasetFrame frame) =>
        [.. (Targets ?? []).Select(t => frame.Column(t)?.Bounds).Distinct()];
}

/// <summary>Periods by date (or step number), or fractions of each series (or of the panel's series, by: series).</summary>
public sealed record SplitSpec
{
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? TrainFrom { get; init; }
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? TrainTo { get; init; }
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? ValidFrom { get; init; }
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? ValidTo { get; init; }
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? TestFrom { get; init; }
    [JsonConverter(typeof(TimePointJsonConverter))]
    public string? TestTo { get; init; }

    /// <summary>Fraction of each series for training (the rest after <see cref="Valid"/> is the test period).</summary>
    public double? Train { get; init; }

    public double? Valid { get; init; }

    /// <summary>How fractions split a panel: each series in time (default), or whole series.</summary>
    public SplitBy By { get; init; } = SplitBy.Time;

    [JsonIgnore]
    public bool IsFractional => Train is not null;
}

/// <summary>divide (by a constant, as the chapter's 1e6) or standard (mean/std fitted on the training split, per series or per panel).</summary>
public sealed record ScalingSpec
{
    public ScalingKind Kind { get; init; } = ScalingKind.None;

    /// <summary>divide: the positive constant the values are divided by.</summary>
    public double? By { get; init; }

    /// <summary>standard: fit the statistics per series (default) or on the whole panel.</summary>
    public ScalingScope? Per { get; init; }

    /// <summary>Whether each series is scaled by its own statistics: standard scaling not asked to be per panel.</summary>
    [JsonIgnore]
    public bool PerSeries => Kind == ScalingKind.Standard && (Per ?? ScalingScope.Series) == ScalingScope.Series;
}

/// <summary>The model kind and its hyper-parameters; each kind reads the fields it needs.</summary>
public sealed record ModelSpec
{
    public string Kind { get; init; } = "";

    /// <summary>seasonal_naive: the season length (default from the frequency).</summary>
    public int? Season { get; init; }

    /// <summary>sarima: [p, d, q].</summary>
    public IReadOnlyList<int>? Order { get; init; }

    /// <summary>sarima: [P, D, Q, s].</summary>
    public IReadOnlyList<int>? SeasonalOrder { get; init; }

    /// <summary>sarima: include a constant term.</summary>
    public bool? IncludeConstant { get; init; }

    /// <summary>auto_sarima: stepwise (default, Hyndman–Khandakar) or grid (every candidate).</summary>
    public AutoSarimaSearch? Search { get; init; }

    /// <summary>auto_sarima: compare candidates by a conditional-sum-of-squares approximation (auto: as R, for n &gt; 150 or season &gt; 12; always; never).</summary>
    public AutoSarimaApproximation? Approximation { get; init; }

    /// <summary>auto: select one method per series (default) or average an ensemble.</summary>
    public AutoMode? Mode { get; init; }

    /// <summary>auto: rolling-origin cross-validation windows of one horizon each, at the end of the training period.</summary>
    public int? Windows { get; init; }

    /// <summary>Intermittent kinds: the smoothing constant (croston: of demand sizes and intervals; tsb: of demand sizes; adida, imapa: of the aggregated series).</summary>
    public double? Alpha { get; init; }

    /// <summary>tsb: the smoothing constant of the demand probability.</summary>
    public double? Beta { get; init; }

    /// <summary>croston: classic (default) or sba (Syntetos–Boylan's bias correction).</summary>
    public CrostonVariant? Variant { get; init; }

    /// <summary>ets: the model in R's notation (error, trend, season; Z = choose, "Ad" damped), e.g. ZZZ (default), AAN, MAdM.</summary>
    public string? Ets { get; init; }

    /// <summary>ets: whether the trend is damped (absent = choose by AICc).</summary>
    public bool? Damped { get; init; }

    /// <summary>mstl: the season lengths, increasing (e.g. [48, 336] for half-hourly data).</summary>
    public IReadOnlyList<int>? Seasons { get; init; }

    /// <summary>mstl: how the seasonally adjusted series is forecast.</summary>
    public MstlMethod? Method { get; init; }

    /// <summary>Recurrent kinds: one entry per stacked layer.</summary>
    public IReadOnlyList<int>? Units { get; init; }

    public bool? LayerNorm { get; init; }
    public double? Dropout { get; init; }
    public double? RecurrentDropout { get; init; }

    /// <summary>conv_gru and wavenet.</summary>
    public int? Filters { get; init; }
    public int? KernelSize { get; init; }
    public int? Strides { get; init; }
    public IReadOnlyList<int>? Dilations { get; init; }
    public bool? Gated { get; init; }
}

public sealed record TrainingSettings
{
    public LossKind Loss { get; init; } = LossKind.Huber;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double? LearningRate { get; init; }
    public double? Momentum { get; init; }
    public int Epochs { get; init; } = 100;
    public int BatchSize { get; init; } = 32;
    public int? Patience { get; init; }
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Neural kinds: null = a full reshuffle of the training windows each epoch; n = tf.data's
    /// <c>Dataset.shuffle(n)</c> over the windows in their built order (series by series, each in time order),
    /// drawn anew each epoch (the chapter's seq2seq dataset uses 256).
    /// </summary>
    public int? ShuffleBuffer { get; init; }

    /// <summary>Neural kinds: auto (default; the faster engine for the model's size on the worker), managed or torch.</summary>
    public TrainingBackend Backend { get; init; } = TrainingBackend.Auto;

    /// <summary>
    /// Neural kinds: a warm start, training from this stored model's weights instead of a seeded initialisation (the same
    /// kind, architecture and inputs); null: from scratch.
    /// </summary>
    public Guid? InitFromModelId { get; init; }
}
