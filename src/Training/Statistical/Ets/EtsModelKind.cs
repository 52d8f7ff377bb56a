using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Training.Statistical.Ets;

/// <summary>
/// <c>ets</c>: exponential smoothing state space models (Hyndman et al. 2002, 2008) as R's forecast::ets(): error A
/// or M, trend N, A or Ad, season N, A or M; parameters and initial states by maximum likelihood; the model chosen by
/// AICc among those <c>model.ets</c> and <c>model.damped</c> allow. Forecast variances in closed form.
/// </summary>
public sealed class EtsModelKind : StatisticalModelKind<EtsForecaster>
{
    /// <summary>R's ets() refuses longer seasons (its seasonal state has at most 24 indices).</summary>
    public const int MaximumSeason = 24;

    public override string Name => "ets";

    protected override FitCost Cost => FitCost.Heavy;

    protected override IReadOnlyList<ModelField> Fields =>
    [
        new("season", ModelFieldType.Integer, "The season length in steps, at most 24; 0 or 1 for none; default from the frequency (7 daily, 24 hourly, 12 monthly).") { Minimum = 0, Maximum = MaximumSeason },
        new("ets", ModelFieldType.Choice, "The model in R's notation: error (A additive, M multiplicative), trend (N none, A additive, Ad damped additive), season (N, A, M); Z lets AICc choose that component. ZZZ chooses all, as R's ets(); an additive error with a multiplicative season is not offered, and M needs strictly positive data.") { Default = "ZZZ", Choices = EtsModelChoice.Notations },
        new("damped", ModelFieldType.Boolean, "Whether the trend is damped; by default AICc chooses (ets 'Ad' implies true)."),
    ];

    private static int SeasonOf(ModelSpec model, Frequency frequency) => frequency.SeasonOf(model.Season);

    private static EtsModelChoice ChoiceOf(ModelSpec model) =>
        EtsModelChoice.Parse(model.Ets, model.Damped).Choice ?? throw new InvalidOperationException("The ets model was not validated.");

    protected override IEnumerable<FieldError> ValidateModel(ModelSpec model, Frequency frequency, int trainingLength)
    {
        var season = SeasonOf(model, frequency);
        if (season < 0)
        {
            yield return new FieldError("model.season", "season must be 0 or 1 (no season) or at least 2.");
            yield break;
        }
        var (choice, error) = EtsModelChoice.Parse(model.Ets, model.Damped);
        if (choice is null)
        {
            yield return error!;
            yield break;
        }
        var notation = model.Ets ?? "ZZZ";
        if (choice.IsForbidden)
            yield return new FieldError("model.ets", $"ets '{notation}' combines an additive error with a multiplicative season, which R's ets() refuses as numerically unstable; use a multiplicative error (e.g. 'M{notation[1..^1]}M') or an additive season.");
        var seasonal = choice.Season is not EtsComponent.None;
        if (choice.Season is EtsComponent.Additive or EtsComponent.Multiplicative && season < 2)
            yield return new FieldError("model.season", $"ets '{notation}' has a season, but the season length is {season}; give model.season (at least 2) or use season N.");
        else if (seasonal && season > MaximumSeason)
            yield return new FieldError("model.season", $"ets handles seasons of at most {MaximumSeason} steps (as R's ets()); the season is {season}{(model.Season is null ? " (the frequency's default)" : "")}. Use mstl for long or multiple seasons, or a non-seasonal ets (season 1 or ets '..N').");
        else if (seasonal && season >= 2 && trainingLength <= season && (model.Season is not null || choice.Season is not null))
            yield return new FieldError("model.season", $"ets with season {season} needs more than {season} training observations; the training period has {trainingLength}.");
        var required = choice.ParameterCountForShortData(season) + 5;
        if (trainingLength < required)
            yield return new FieldError("split", $"ets '{notation}' needs at least {required} training observations (as R's ets()); the training period has {trainingLength}.");
    }

    protected override FieldError? ValidateData(ModelSpec model, Series series, string target, IndexRange training, Frequency frequency)
    {
        if (EtsModelChoice.Parse(model.Ets, model.Damped).Choice is not { RequiresPositiveData: true }) return null;
        foreach (var value in series[target].AsSpan(training.Start, training.Length))
            if (!(value > 0))
                return new FieldError("model.ets", $"ets '{model.Ets}' has a multiplicative error or season, which needs strictly positive data; '{target}' of series '{series.Id}' has the value {value} in its training period. Use an additive model, or 'ZZZ' to choose among the additive ones.");
        return null;
    }

    protected override EtsForecaster Fit(ReadOnlySpan<double> training, ModelSpec model, Frequency frequency, CancellationToken cancellationToken)
    {
        var season = SeasonOf(model, frequency);
        var (best, candidates) = EtsSelection.Select(training, ChoiceOf(model), season <= MaximumSeason ? season : 1, cancellationToken);
        return new EtsForecaster(best, candidates);
    }

    protected override int ParameterCount(EtsForecaster fit) => fit.Fit.ParameterCount;

    protected override IReadOnlyDictionary<string, object>? Describe(IReadOnlyList<UnivariateFit<EtsForecaster>> fits) =>
        new Dictionary<string, object>
        {
            ["fits"] = fits.Select(f => Describe(f.Series, f.Target, f.Fit)).ToList(),
        };

    private static object Describe(string series, string target, EtsForecaster forecaster)
    {
        var fit = forecaster.Fit;
        var model = fit.Model;
        var p = fit.Parameters;
        var states = new Dictionary<string, double> { ["l"] = fit.InitialStates[0] };
        if (model.HasTrend) states["b"] = fit.InitialStates[1];
        if (model.HasSeason)
            for (var j = 0; j < model.Period; j++) states[$"s{j + 1}"] = fit.InitialStates[EtsRecursion.StateIndexOfSeason(model) + j];
        return new
        {
            series,
            target,
            model = model.Name,
            alpha = p.Alpha,
            beta = model.HasTrend ? p.Beta : (double?)null,
            gamma = model.HasSeason ? p.Gamma : (double?)null,
            phi = model.Damped ? p.Phi : (double?)null,
            initialStates = states,
            sigma2 = fit.Sigma2,
            logLikelihood = fit.LogLikelihood,
            aic = fit.Aic,
            aicc = fit.Aicc,
            bic = fit.Bic,
            candidates = forecaster.Candidates?.OrderBy(c => c.Aicc ?? double.PositiveInfinity).Select(c => new { model = c.Model, aicc = c.Aicc }).ToList(),
        };
    }
}
