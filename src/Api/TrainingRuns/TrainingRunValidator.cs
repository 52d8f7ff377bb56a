using System.Reflection;
using System.Text.Json;
using Forecasting.Api.Auth;
using Forecasting.Api.Http;
using Forecasting.Domain;
using Forecasting.Domain.Windows;
using Forecasting.Persistence;
using Forecasting.Training.Covariates;
using Forecasting.Training.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.TrainingRuns;

/// <summary>
/// Checks a training request against its dataset and model kind before anything is queued, so a bad
/// request is a 400 naming each field rather than a run that fails later.
/// </summary>
public sealed class TrainingRunValidator(DatasetStore datasets, ModelKindRegistry kinds, IOptions<Limits> limits, ForecastingDbContext db)
{
    public async Task<IReadOnlyList<FieldError>> ValidateAsync(TrainingRunSpec spec, CancellationToken cancellationToken)
    {
        var errors = Validate(spec, await datasets.LoadAsync(spec.DatasetId, null, null, cancellationToken)).ToList();
        if (spec.Training?.InitFromModelId is { } from && kinds.Find(spec.Model?.Kind)?.Traits.Family == ModelFamily.Neural)
            errors.AddRange(await WarmStartErrorsAsync(spec, from, cancellationToken));
        return errors;
    }

    /// <summary>
    /// A warm start's model must exist and be of the same kind, architecture (model fields, window, horizon, strategy) and
    /// inputs (targets, inputs, known-future columns, calendar, holidays); the first difference is named. The weights'
    /// shapes are checked again when the run starts (a dataset's new category widens a one-hot input).
    /// </summary>
    private async Task<IReadOnlyList<FieldError>> WarmStartErrorsAsync(TrainingRunSpec spec, Guid from, CancellationToken cancellationToken)
    {
        const string field = "training.initFromModelId";
        var model = await db.Models.AsNoTracking().Where(m => m.Id == from).Select(m => new { m.Kind, m.SpecJson }).FirstOrDefaultAsync(cancellationToken);
        if (model is null) return [new FieldError(field, $"There is no model '{from}' to start from.")];
        if (model.Kind != spec.Model.Kind)
            return [new FieldError(field, $"Model '{from}' is a '{model.Kind}' model; a warm start continues the same kind, and this request trains '{spec.Model.Kind}'.")];
        var theirs = ApiJson.Deserialize<TrainingRunSpec>(model.SpecJson);
        var pairs = new (string Name, object? Mine, object? Theirs)[]
        {
            ("windowLength", spec.WindowLength, theirs.WindowLength), ("horizon", spec.Horizon, theirs.Horizon), ("strategy", spec.Strategy, theirs.Strategy),
            ("targets", spec.Targets, theirs.Targets), ("inputs", spec.EffectiveInputs, theirs.EffectiveInputs),
            ("knownFuture", spec.KnownFuture ?? [], theirs.KnownFuture ?? []), ("calendar", spec.Calendar ?? [], theirs.Calendar ?? []),
            ("holidays", spec.Holidays, theirs.Holidays),
        };
        var mine = JsonSerializer.SerializeToElement(spec.Model, ApiJson.Options);
        var stored = JsonSerializer.SerializeToElement(theirs.Model, ApiJson.Options);
        var names = mine.EnumerateObject().Select(p => p.Name).Union(stored.EnumerateObject().Select(p => p.Name));
        string Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetRawText() : "(default)";
        var differing = pairs.Where(p => ApiJson.Serialize(p.Mine) != ApiJson.Serialize(p.Theirs)).Select(p => (p.Name, Mine: ApiJson.Serialize(p.Mine), Theirs: ApiJson.Serialize(p.Theirs)))
            .Concat(names.Where(n => Text(mine, n) != Text(stored, n)).Select(n => (Name: $"model.{n}", Mine: Text(mine, n), Theirs: Text(stored, n))));
        return differing.Take(1).Select(d => new FieldError(field,
            $"Model '{from}' was trained with {d.Name} {d.Theirs}, this request has {d.Mine}; a warm start needs the same architecture and inputs.")).ToList();
    }

    /// <summary>The same checks against the request's dataset as already loaded (null: there is none), so a request reads it once.</summary>
    public IReadOnlyList<FieldError> Validate(TrainingRunSpec spec, DatasetFrame? frame)
    {
        var errors = new List<FieldError>();
        void Error(string field, string message) => errors.Add(new FieldError(field, message));

        var kind = kinds.Find(spec.Model?.Kind);
        if (spec.Model is null) Error("model", "model is required, e.g. { \"kind\": \"seasonal_naive\", \"season\": 7 }.");
        else if (kind is null) Error("model.kind", $"Unknown model kind '{spec.Model.Kind}'. Available: {string.Join(", ", kinds.Names.Order())}.");
        else errors.AddRange(CheckFields(spec.Model, kind.Traits.Fields));
        if (spec.Targets is not { Count: > 0 }) Error("targets", "At least one target column is required.");
        var cap = limits.Value;
        if (spec.Horizon < 1) Error("horizon", "horizon must be at least 1.");
        else if (spec.Horizon > cap.MaxHorizon) Error("horizon", $"horizon {spec.Horizon} is above the cap of {cap.MaxHorizon} steps (Limits:MaxHorizon).");
        if (spec.WindowLength is < 1 or > 100_000) Error("windowLength", "windowLength must be between 1 and 100000.");
        ValidateScaling(spec.Scaling, Error);
        ValidateTraining(spec.Training, Error);
        if (spec.Levels is { } levels)
        {
            if (levels.Count == 0 || levels.Count > cap.MaxLevels) Error("levels", $"Give between 1 and {cap.MaxLevels} interval levels in percent, e.g. [80, 95] (Limits:MaxLevels).");
            for (var i = 0; i < levels.Count; i++)
                if (!(levels[i] > 0 && levels[i] < 100)) Error($"levels[{i}]", "A level is a percentage strictly between 0 and 100.");
            if (levels.Distinct().Count() != levels.Count) Error("levels", "Each level may appear once.");
        }
        ValidateIntervals(spec.Intervals, Error);
        // A statistical kind fits each series on its own: a series held out whole could be neither fitted nor measured.
        if (kind is not null && kind.Traits.Family != ModelFamily.Neural && spec.Split is { By: SplitBy.Series })
            Error("split.by", $"by: series holds out whole series, which only a global (neural) model can forecast; '{kind.Name}' fits each series on its own, so split each series in time (by: time, the default).");
        if (kind is not null && kind.Traits.Family != ModelFamily.Neural && spec.Training is { InitFromModelId: not null })
            Error("training.initFromModelId", $"'{kind.Name}' has no weights to start from: a statistical kind is fitted afresh, and POST /api/models/{{id}}/update brings a fitted model up to date without refitting.");
        if (kind is not null && kind.Traits.Family != ModelFamily.Neural && spec.Training is { Backend: not TrainingBackend.Auto })
            Error("training.backend", $"training.backend applies to the neural kinds; '{kind.Name}' is fitted by the statistical engine (omit it or use auto).");
        ValidateTransform(spec.Transform, kind, Error);
        if (spec.MinFittedShare is { } share && !(share > 0 && share <= 1))
            Error("minFittedShare", $"minFittedShare is the share of series the kind itself must fit, greater than 0 and at most 1; it is {share}.");
        if (kind is not null && !kind.Traits.PerSeriesFits)
        {
            if (spec.Fallback is not null) Error("fallback", $"'{kind.Name}' trains one model over all series, so no series falls back; fallback applies to the statistical kinds (omit it).");
            if (spec.MinFittedShare is not null) Error("minFittedShare", $"'{kind.Name}' trains one model over all series; minFittedShare applies to the statistical kinds (omit it).");
        }
        ValidateBounds(spec.Bounds, Error);
        if (frame is null)
        {
            Error("datasetId", $"There is no dataset with id '{spec.DatasetId}'.");
            return errors;
        }
        if (spec.Series is { Count: > 0 })
            foreach (var id in spec.Series.Where(id => frame.Series.All(s => s.Id != id)))
                Error("series", $"Dataset has no series '{id}'.");
        CheckColumns(frame, spec.Targets ?? [], "targets", requireNumeric: true, Error);
        CheckColumns(frame, spec.Inputs ?? [], "inputs", requireNumeric: true, Error);
        CheckColumns(frame, spec.KnownFuture ?? [], "knownFuture", requireNumeric: false, Error);
        ValidateCalendar(spec.Calendar, kind, frame, Error);
        ValidateHolidays(spec.Holidays, kind, frame, Error);
        if (errors.Count > 0 || kind is null) return errors;
        frame = GeneratedColumns.AddTo(frame, spec.Calendar, spec.Holidays);

        var selected = spec.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series;
        var longest = selected.Max(s => s.Length);
        if (spec.Horizon > cap.MaxHorizonToData * longest)
            Error("horizon", $"horizon {spec.Horizon} is longer than the data allows: at most {cap.MaxHorizonToData:0.##} × {longest} observations of the longest series (Limits:MaxHorizonToData).");
        var (periods, splitErrors) = SplitResolver.Resolve(spec.Split, frame.Frequency, selected);
        errors.AddRange(splitErrors);
        if (spec.Bounds is { } bounds) errors.AddRange(DataOutside(bounds, spec.Targets ?? [], selected, frame.Frequency));
        else if (spec.DeclaredBounds(frame) is { Count: > 1 })
            Error("bounds", $"The targets' columns declare different bounds ({string.Join("; ", (spec.Targets ?? []).Select(t => $"{t}: {Show(frame.Column(t)?.Bounds)}"))}); give the run's own bounds.");
        if (errors.Count > 0) return errors;
        errors.AddRange(kind.Validate(spec, frame with { Series = selected }, periods));
        if (errors.Count == 0 && kind.Traits.Family == ModelFamily.Neural && spec.WindowLength is { } length)
        {
            // The work of a run: every epoch passes over every training window once.
            var steps = spec.Strategy == ForecastStrategy.Recursive ? 1 : spec.Horizon;
            var windows = periods.Values.Where(p => !p.Train.IsEmpty).Sum(p => (long)WindowBuilder.CountIn(p.Train, length, steps));
            var epochs = spec.Training?.Epochs ?? new TrainingSettings().Epochs;
            if (windows * epochs > cap.MaxWorkPerRun)
                Error("training.epochs", $"{epochs} epochs × {windows} training windows = {windows * epochs:N0} window passes, above the cap of {cap.MaxWorkPerRun:N0} per run (Limits:MaxWorkPerRun); use fewer epochs or a shorter training period.");
        }
        if (errors.Count == 0 && spec.Intervals is { Calibration: CalibrationSource.Backtest } intervals)
        {
            // Backtest calibration refits every (series, target) at each window.
            var refits = (long)intervals.EffectiveWindows * periods.Values.Count(p => !p.Train.IsEmpty) * (spec.Targets?.Count ?? 0);
            if (refits > cap.MaxCalibrationRefits)
                Error("intervals.windows", $"{intervals.EffectiveWindows} windows × {refits / intervals.EffectiveWindows:N0} series and targets = {refits:N0} refits, above the cap of {cap.MaxCalibrationRefits:N0} per run (Limits:MaxCalibrationRefits); use fewer windows or series.");
        }
        return errors;
    }

    /// <summary>Calendar features: for kinds that read known-future covariates, each one the dataset's timestamps vary, once.</summary>
    private static void ValidateCalendar(IReadOnlyList<CalendarFeature>? calendar, IModelKind? kind, DatasetFrame frame, Action<string, string> error)
    {
        if (calendar is not { Count: > 0 }) return;
        if (kind is not null && !kind.Traits.KnownFuture)
        {
            error("calendar", $"'{kind.Name}' reads no known-future covariates, so it cannot use calendar features; use sarima (regression with SARIMA errors) or a neural kind (e.g. linear), or omit calendar.");
            return;
        }
        for (var i = 0; i < calendar.Count; i++)
        {
            var name = calendar[i].ToWire();
            if (calendar.Take(i).Contains(calendar[i])) error($"calendar[{i}]", $"'{name}' is listed twice.");
            else if (!CalendarColumns.Varies(calendar[i], frame.Frequency))
                error($"calendar[{i}]", frame.Frequency.IsCalendar
                    ? $"'{name}' takes a single value on {frame.Frequency.Description} data ({frame.Frequency.Code}), so it tells the model nothing; omit it."
                    : "The dataset's points are step numbers, which have no calendar; omit calendar.");
        }
        foreach (var column in CalendarColumns.Columns(calendar).Where(c => frame.Column(c.Name) is not null))
            error("calendar", $"The dataset already has a column '{column.Name}', the name of a generated calendar column; rename that column.");
    }

    /// <summary>Holidays: for kinds that read known-future covariates, a country the holiday library serves, on weekly or finer calendar data.</summary>
    private static void ValidateHolidays(HolidaySpec? holidays, IModelKind? kind, DatasetFrame frame, Action<string, string> error)
    {
        if (holidays is null) return;
        if (kind is not null && !kind.Traits.KnownFuture)
        {
            error("holidays", $"'{kind.Name}' reads no known-future covariates, so it cannot use holidays; use sarima (regression with SARIMA errors) or a neural kind (e.g. linear), or omit holidays.");
            return;
        }
        if (PublicHolidayCalendar.For(holidays.Country) is null)
            error("holidays.country", $"{(string.IsNullOrWhiteSpace(holidays.Country) ? "A country is required" : $"'{holidays.Country}' is not a country with a holiday calendar")}: " +
                $"give an ISO 3166-1 two-letter code, one of {string.Join(", ", PublicHolidayCalendar.Countries)}.");
        if (holidays.Subdivision is not null)
            error("holidays.subdivision", "Only national public holidays are served: the holiday library has regional calendars for AU, CA, DE, FR, GB and PT only (none for US), each set its own way, and they are not offered here; omit subdivision.");
        if (!frame.Frequency.IsCalendar) error("holidays", "The dataset's points are step numbers, which have no calendar; omit holidays.");
        else if (!HolidayColumns.Applies(frame.Frequency))
            error("holidays", $"Holidays need weekly or finer data; a {frame.Frequency.Description} step ({frame.Frequency.Code}) almost always holds one, so it tells the model nothing. Omit holidays.");
        foreach (var column in HolidayColumns.Columns(holidays).Where(c => frame.Column(c.Name) is not null))
            error("holidays", $"The dataset already has a column '{column.Name}', the name of a generated holiday column; rename that column.");
    }

    private static readonly PropertyInfo[] ModelProperties = typeof(ModelSpec).GetProperties()
        .Where(p => p.Name != nameof(ModelSpec.Kind)).ToArray();

    /// <summary>
    /// A field the kind does not declare (units for seasonal_naive, kernelSize for wavenet, whose kernel is the
    /// chapter's 2) would be accepted and ignored; it is refused instead.
    /// </summary>
    private static IEnumerable<FieldError> CheckFields(ModelSpec model, IReadOnlyList<ModelField> fields)
    {
        var read = fields.Select(f => f.Name).ToList();
        foreach (var property in ModelProperties)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (property.GetValue(model) is not null && !read.Contains(name))
                yield return new FieldError($"model.{name}", $"'{model.Kind}' does not use {name}; " +
                    (read.Count == 0 ? "it takes no other model fields." : $"its fields are {string.Join(", ", read)}."));
        }
    }

    private static void ValidateIntervals(IntervalsSpec? intervals, Action<string, string> error)
    {
        if (intervals?.Windows is not { } windows) return;
        if (intervals.Calibration != CalibrationSource.Backtest)
            error("intervals.windows", "windows counts the backtest's windows; it applies to calibration \"backtest\" only (omit it, or set intervals.calibration to \"backtest\").");
        else if (windows is < 2 or > 1000)
            error("intervals.windows", "windows must be between 2 and 1000.");
    }

    private static void CheckColumns(DatasetFrame frame, IReadOnlyList<string> names, string field, bool requireNumeric, Action<string, string> error)
    {
        for (var i = 0; i < names.Count; i++)
        {
            var column = frame.Column(names[i]);
            if (column is null)
                error($"{field}[{i}]", $"Dataset has no column '{names[i]}'. Columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
            else if (requireNumeric && column.Kind != ColumnKind.Numeric)
                error($"{field}[{i}]", $"Column '{names[i]}' is categorical; {field} must be numeric (categorical columns can be knownFuture covariates).");
        }
    }

    private static void ValidateBounds(ForecastBounds? bounds, Action<string, string> error)
    {
        if (bounds is null) return;
        if (bounds.Lower is null && bounds.Upper is null) error("bounds", "bounds needs lower, upper or both, e.g. { \"lower\": 0 }.");
        if (bounds is { Lower: { } lower, Upper: { } upper } && !(lower < upper))
            error("bounds", $"bounds.lower ({lower}) must be less than bounds.upper ({upper}).");
    }

    private static string Show(ForecastBounds? bounds) => bounds is null ? "none"
        : string.Join(", ", new[] { bounds.Lower is { } l ? $"lower {l}" : null, bounds.Upper is { } u ? $"upper {u}" : null }.OfType<string>());

    /// <summary>The first observation of each target outside the bounds: a model cannot be asked to stay where the data do not.</summary>
    private static IEnumerable<FieldError> DataOutside(ForecastBounds bounds, IReadOnlyList<string> targets, IReadOnlyList<Series> series, Frequency frequency)
    {
        foreach (var target in targets)
            foreach (var s in series)
            {
                if (!s.Columns.TryGetValue(target, out var values)) continue;
                var i = Array.FindIndex(values, v => v < (bounds.Lower ?? double.NegativeInfinity) || v > (bounds.Upper ?? double.PositiveInfinity));
                if (i < 0) continue;
                var side = values[i] < (bounds.Lower ?? double.NegativeInfinity) ? $"below bounds.lower ({bounds.Lower})" : $"above bounds.upper ({bounds.Upper})";
                yield return new FieldError("bounds", $"Target '{target}' of series '{s.Id}' is {values[i]} at {frequency.Format(frequency.Add(s.Start, i))}, {side}.");
                break;
            }
    }

    private static void ValidateScaling(ScalingSpec? scaling, Action<string, string> error)
    {
        if (scaling is null) return;
        if (scaling.Kind == ScalingKind.Divide && scaling.By is not > 0) error("scaling.by", "scaling 'divide' needs a positive 'by'.");
        if (scaling.Per is { } per && scaling.Kind != ScalingKind.Standard)
            error("scaling.per", $"scaling.per chooses where standard scaling's mean and standard deviation are fitted; scaling '{scaling.Kind.ToWire()}' has none " +
                "(divide uses the same 'by' for every series). Omit per, or use kind \"standard\".");
    }

    private static void ValidateTransform(TransformSpec? transform, IModelKind? kind, Action<string, string> error)
    {
        if (transform is null) return;
        if (kind is not null && kind.Traits.Family != ModelFamily.Statistical)
            error("transform", $"transform applies to the statistical kinds, which fit each series on its own; '{kind.Name}' is trained on scaled windows (use scaling), so omit transform.");
        else if (transform.Kind == TransformKind.BoxCox && transform.Lambda is null)
            error("transform.lambda", "boxcox needs a lambda: a number (0 is the log) or \"auto\" (Guerrero's method on each series' training period, as R's BoxCox.lambda).");
        else if (transform.Kind == TransformKind.Log1p && transform.Lambda is not null)
            error("transform.lambda", "log1p has no lambda (it is log(1 + y)); omit lambda, or use kind \"boxcox\".");
    }

    private static void ValidateTraining(TrainingSettings? training, Action<string, string> error)
    {
        if (training is null) return;
        if (training.LearningRate is { } lr && !(lr > 0 && lr <= 10)) error("training.learningRate", "learningRate must be in (0, 10].");
        if (training.Momentum is { } m && !(m >= 0 && m < 1)) error("training.momentum", "momentum must be in [0, 1).");
        if (training.Epochs is < 1 or > 100_000) error("training.epochs", "epochs must be between 1 and 100000.");
        if (training.BatchSize is < 1 or > 65_536) error("training.batchSize", "batchSize must be between 1 and 65536.");
        if (training.Patience is < 0) error("training.patience", "patience must not be negative.");
        if (training.ShuffleBuffer is < 1 or > 10_000_000)
            error("training.shuffleBuffer", "shuffleBuffer must be between 1 and 10000000 windows (omit it for a full reshuffle each epoch).");
    }
}
