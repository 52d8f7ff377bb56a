using Forecasting.Domain;

namespace Forecasting.Api.Backtests;

/// <summary>
/// The body of POST /api/backtests: forecast every target of <see cref="From"/>..<see cref="To"/> at each
/// step 1..<see cref="Horizon"/> from the data strictly before it, on an expanding window that starts at
/// <see cref="TrainFrom"/>, refitting every <see cref="RefitEvery"/> origins.
/// </summary>
public sealed record BacktestRequest
{
    /// <summary>The dataset to backtest on (required).</summary>
    [System.Text.Json.Serialization.JsonRequired]
    public Guid DatasetId { get; init; }

    /// <summary>Series ids of a panel to use; null or empty means all.</summary>
    public IReadOnlyList<string>? Series { get; init; }

    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Past-value inputs of multivariate kinds; defaults to the targets.</summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>
    /// Covariates known in advance (a planned promo), for kinds that take them: at each origin the model is given their
    /// actual values for the steps it forecasts, as a forecast with <c>future</c> rows would be.
    /// </summary>
    public IReadOnlyList<string>? KnownFuture { get; init; }

    /// <summary>Calendar features generated from the timestamps as known-future columns, as a training request's.</summary>
    public IReadOnlyList<CalendarFeature>? Calendar { get; init; }

    /// <summary>A country whose public holidays become known-future columns, as a training request's.</summary>
    public HolidaySpec? Holidays { get; init; }

    public ModelSpec Model { get; init; } = new();

    /// <summary>First forecast target (inclusive).</summary>
    public string? From { get; init; }

    /// <summary>Last forecast target (inclusive).</summary>
    public string? To { get; init; }

    /// <summary>Start of the expanding training window; default the start of the data.</summary>
    public string? TrainFrom { get; init; }

    public int Horizon { get; init; } = 1;

    /// <summary>Refit every this many origins; default 1 for statistical kinds, once (at the first origin) for the others.</summary>
    public int? RefitEvery { get; init; }

    /// <summary>Passed through to window-based (neural) kinds.</summary>
    public int? WindowLength { get; init; }

    public ForecastStrategy? Strategy { get; init; }

    public ScalingSpec? Scaling { get; init; }

    /// <summary>Statistical kinds: the transform each refit is fitted on (as a training request's).</summary>
    public TransformSpec? Transform { get; init; }

    public TrainingSettings? Training { get; init; }

    /// <summary>The values the targets can take: each forecast is clipped to them before it is scored, as it would be served.</summary>
    public ForecastBounds? Bounds { get; init; }

    /// <summary>The training request of one refit: the same model and data, trained on trainFrom..trainTo.</summary>
    public TrainingRunSpec ToTrainingSpec(string? trainFrom, string? trainTo) => new()
    {
        DatasetId = DatasetId,
        Series = Series,
        Targets = Targets ?? [],
        Inputs = Inputs,
        KnownFuture = KnownFuture,
        Calendar = Calendar,
        Holidays = Holidays,
        WindowLength = WindowLength,
        Horizon = Horizon,
        Strategy = Strategy ?? ForecastStrategy.Direct,
        Split = new SplitSpec { TrainFrom = trainFrom, TrainTo = trainTo },
        Scaling = Scaling,
        Transform = Transform,
        Model = Model,
        Training = Training,
        Bounds = Bounds,
    };
}
