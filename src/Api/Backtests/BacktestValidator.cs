using Forecasting.Api.TrainingRuns;
using Forecasting.Domain;
using Forecasting.Persistence;
using Forecasting.Training.Covariates;
using Forecasting.Training.Models;

namespace Forecasting.Api.Backtests;

/// <summary>
/// Checks a backtest request before anything is queued: the period and refit settings here; the dataset,
/// columns, model kind and hyper-parameters through <see cref="TrainingRunValidator"/> on the first refit's
/// training request (trainFrom..from − 1), so "too little data before from" is the kind's own rule.
/// </summary>
public sealed class BacktestValidator(DatasetStore datasets, TrainingRunValidator training, ModelKindRegistry kinds)
{
    public async Task<BacktestValidation> ValidateAsync(BacktestRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        void Error(string field, string message) => errors.Add(new FieldError(field, message));
        if (request.RefitEvery is < 1) Error("refitEvery", "refitEvery must be at least 1 (1 refits at every origin).");
        if (request.Training?.InitFromModelId is not null)
            Error("training.initFromModelId", "A backtest trains every refit from its own start; a warm start from a model's weights applies to training runs (omit it).");
        if (request.From is null) Error("from", "from (the first forecast target, e.g. 2019-03-01) is required.");
        if (request.To is null) Error("to", "to (the last forecast target, e.g. 2019-05-31) is required.");

        var frame = request.DatasetId == Guid.Empty ? null : await datasets.LoadAsync(request.DatasetId, null, null, cancellationToken);
        long from = 0, to = 0, trainFrom = 0;
        var periodKnown = false;
        if (frame is not null)
        {
            var frequency = frame.Frequency;
            var selected = request.Series is { Count: > 0 } ids ? frame.Series.Where(s => ids.Contains(s.Id)).ToList() : frame.Series.ToList();
            bool Point(string field, string? text, out long point)
            {
                point = 0;
                if (text is null) return false;
                if (frequency.TryParsePoint(text, out point)) return true;
                Error(field, frequency == Frequency.Steps ? $"'{text}' is not a step number." : $"'{text}' is not a date (use ISO, e.g. 2019-03-01).");
                return false;
            }
            var hasFrom = Point("from", request.From, out from);
            var hasTo = Point("to", request.To, out to);
            var hasTrainFrom = Point("trainFrom", request.TrainFrom, out trainFrom);
            if (selected.Count > 0)
            {
                var first = selected.Min(s => s.Start);
                var last = selected.Max(s => s.End(frequency));
                string Span() => $"{frequency.Format(first)} to {frequency.Format(last)}";
                if (hasFrom && (from < first || from > last)) { Error("from", $"from must lie within the data, {Span()}."); hasFrom = false; }
                if (hasTo && (to < first || to > last)) { Error("to", $"to must lie within the data, {Span()}."); hasTo = false; }
                if (hasFrom && hasTo && from > to) { Error("to", "to is before from."); hasTo = false; }
                if (hasFrom && hasTrainFrom && trainFrom >= from) Error("trainFrom", "trainFrom must be before from: the models are trained on the data before each forecast.");
                periodKnown = hasFrom && hasTo && errors.Count == 0;
                if (periodKnown && Backtester.OriginCount(frequency, from, to, Math.Max(1, request.Horizon)) * Math.Max(1, request.Horizon) > 1_000_000)
                {
                    Error("to", "The backtest would make more than a million forecasts per target; shorten from..to or the horizon.");
                    periodKnown = false;
                }
            }
        }

        // The first refit's training request: dataset, columns, kind, hyper-parameters, and data before `from`.
        var spec = request.ToTrainingSpec(request.TrainFrom, null) with
        {
            Split = periodKnown ? new SplitSpec { TrainFrom = request.TrainFrom, TrainTo = frame!.Frequency.Format(frame.Frequency.Add(from, -Math.Max(1, request.Horizon))) } : null,
        };
        // A kind's complaint that holds for the first fit's data but not for all of the data is about the data before `from`.
        var onlyBeforeFrom = new HashSet<FieldError>();
        if (periodKnown && kinds.Find(request.Model?.Kind) is { } kind)
        {
            var selected = request.Series is { Count: > 0 } ids ? frame!.Series.Where(s => ids.Contains(s.Id)).ToList() : frame!.Series;
            var data = frame with { Series = selected };
            // With calendar features or holidays the kind sees their columns, as in training; those the data cannot have are refused below.
            if (request.Calendar is { } calendar && calendar.All(f => CalendarColumns.Varies(f, frame.Frequency))) data = CalendarColumns.AddTo(data, calendar);
            if (request.Holidays is { Subdivision: null } holidays && HolidayColumns.Applies(frame.Frequency) && PublicHolidayCalendar.For(holidays.Country) is not null)
                data = GeneratedColumns.AddTo(data, null, holidays);
            var (firstFit, splitErrors) = SplitResolver.Resolve(spec.Split, frame.Frequency, selected);
            var (all, _) = SplitResolver.Resolve(null, frame.Frequency, selected);
            if (splitErrors.Count == 0)
                onlyBeforeFrom.UnionWith(kind.Validate(spec, data, firstFit).Except(kind.Validate(spec with { Split = null }, data, all)));
        }
        foreach (var error in training.Validate(spec, frame))
        {
            if (error.Field.StartsWith("split", StringComparison.Ordinal) || onlyBeforeFrom.Contains(error))
                Error("from", $"Too little data before from{(request.TrainFrom is null ? "" : ", counting from trainFrom,")} for the first fit: {error.Message}");
            else if (!errors.Contains(error))
                errors.Add(error);
        }
        return new BacktestValidation(errors, errors.Count == 0 ? (int)Backtester.OriginCount(frame!.Frequency, from, to, request.Horizon) : 0);
    }
}
