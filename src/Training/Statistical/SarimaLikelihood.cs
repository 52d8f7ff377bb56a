namespace Forecasting.Training.Statistical;

/// <summary>
/// The exact Gaussian log-likelihood of one series under one <see cref="SarimaSpec"/>, as a function of the
/// parameters. Works in scaled units (series divided by <see cref="Scale"/>) so that every parameter the optimiser
/// sees is of order one; the approximate diffuse variance is scaled with it so the model is unchanged.
/// Parameter vectors are laid out as statsmodels does: [const][x1..xk][ar][ma][seasonal ar][seasonal ma][sigma2]; the
/// regression coefficients are in scaled units (β / scale), the regressors themselves are not scaled.
/// </summary>
internal sealed class SarimaLikelihood
{
    private readonly SarimaSpec _spec;
    private readonly SarimaStateSpace _stateSpace;
    private readonly SarimaKalmanFilter _filter;
    private readonly double[] _scaledSeries;
    private readonly double[] _regressor;
    private readonly double[][] _regressors;
    private readonly double[] _adjusted;
    private readonly double[] _transformScratch;
    private SarimaBatchKalmanFilter? _batch;
    private double[]? _interleaved;
    private double[][]? _constrainedPoints;

    public SarimaLikelihood(SarimaSpec spec, ReadOnlySpan<double> series, double scale, IReadOnlyList<double[]>? regressors = null)
    {
        _spec = spec;
        Scale = scale;
        _stateSpace = new SarimaStateSpace(spec);
        _filter = new SarimaKalmanFilter(_stateSpace);
        _scaledSeries = new double[series.Length];
        for (var t = 0; t < series.Length; t++) _scaledSeries[t] = series[t] / scale;
        _regressor = spec.IncludeConstant
            ? SeriesDifferencing.ConstantRegressor(series.Length, spec.Differences, spec.SeasonalDifferences, spec.EffectiveSeason)
            : [];
        var length = series.Length;
        _regressors = regressors?.Select(x => x[..length]).ToArray() ?? [];
        _adjusted = new double[series.Length];
        _transformScratch = new double[4 * (SarimaInputValidator.MaxOrder + 1)];
    }

    public double Scale { get; }

    public int ObservationCount => _scaledSeries.Length;

    /// <summary>Log-likelihood terms skipped for the approximate diffuse states (statsmodels' <c>loglikelihood_burn</c>).</summary>
    public int Burn => _spec.DifferencingStates;

    public int EffectiveObservations => ObservationCount - Burn;

    /// <summary>Log-likelihood of the scaled series at constrained scaled parameters; NaN if the filter breaks down.</summary>
    public double Evaluate(ReadOnlySpan<double> parameters, Span<double> perObservation = default)
    {
        if (perObservation.IsEmpty && IsRemembered(parameters)) return _rememberedValue;
        var value = EvaluateCore(parameters, perObservation);
        Remember(parameters, value);
        return value;
    }

    /// <summary>
    /// The last point evaluated exactly as <see cref="Evaluate"/> would, and its value: the estimator's final evaluation
    /// at the optimum is usually the optimiser's last accepted point, so it costs nothing.
    /// </summary>
    private double[]? _rememberedPoint;
    private double _rememberedValue;

    private bool IsRemembered(ReadOnlySpan<double> parameters)
    {
        if (_rememberedPoint is null || _rememberedPoint.Length != parameters.Length) return false;
        for (var i = 0; i < parameters.Length; i++)
            if (BitConverter.DoubleToInt64Bits(parameters[i]) != BitConverter.DoubleToInt64Bits(_rememberedPoint[i])) return false;
        return true;
    }

    private void Remember(ReadOnlySpan<double> parameters, double value)
    {
        _rememberedPoint ??= new double[parameters.Length];
        if (_rememberedPoint.Length != parameters.Length) _rememberedPoint = new double[parameters.Length];
        parameters.CopyTo(_rememberedPoint);
        _rememberedValue = value;
    }

    /// <summary>
    /// Splits a constrained parameter vector in statsmodels' order: constant (returned; 0 without one), regression
    /// coefficients, AR, MA, seasonal AR, seasonal MA, σ².
    /// </summary>
    private double Split(ReadOnlySpan<double> parameters, out ReadOnlySpan<double> betas, out ReadOnlySpan<double> ar, out ReadOnlySpan<double> ma,
        out ReadOnlySpan<double> seasonalAr, out ReadOnlySpan<double> seasonalMa, out double sigma2)
    {
        var offset = 0;
        var mean = _spec.IncludeConstant ? parameters[offset++] : 0.0;
        betas = parameters.Slice(offset, _spec.Regressors); offset += _spec.Regressors;
        ar = parameters.Slice(offset, _spec.ArOrder); offset += _spec.ArOrder;
        ma = parameters.Slice(offset, _spec.MaOrder); offset += _spec.MaOrder;
        seasonalAr = parameters.Slice(offset, _spec.SeasonalArOrder); offset += _spec.SeasonalArOrder;
        seasonalMa = parameters.Slice(offset, _spec.SeasonalMaOrder); offset += _spec.SeasonalMaOrder;
        sigma2 = parameters[offset];
        return mean;
    }

    private double EvaluateCore(ReadOnlySpan<double> parameters, Span<double> perObservation)
    {
        var mean = Split(parameters, out var betas, out var ar, out var ma, out var seasonalAr, out var seasonalMa, out var sigma2);
        if (!(sigma2 > 0) || !double.IsFinite(sigma2)) return double.NaN;
        var diffuse = SarimaStateSpace.ApproximateDiffuseVariance / (Scale * Scale);
        if (!_stateSpace.Update(ar, ma, seasonalAr, seasonalMa, sigma2, diffuse)) return double.NaN;
        ReadOnlySpan<double> y = _scaledSeries;
        if (_spec.RegressionTerms > 0)
        {
            Regress(mean, betas, _adjusted);
            y = _adjusted;
        }
        return _filter.LogLikelihood(y, Burn, perObservation);
    }

    /// <summary>The scaled series less its regression part: y/scale − mean·c − Σ β_j x_j (β scaled).</summary>
    private void Regress(double mean, ReadOnlySpan<double> betas, Span<double> adjusted)
    {
        for (var t = 0; t < adjusted.Length; t++)
            adjusted[t] = _scaledSeries[t] - (_spec.IncludeConstant ? mean * _regressor[t] : 0);
        for (var j = 0; j < betas.Length; j++)
        {
            var (beta, x) = (betas[j], _regressors[j]);
            for (var t = 0; t < adjusted.Length; t++) adjusted[t] -= beta * x[t];
        }
    }

    /// <summary>Log-likelihood at unconstrained parameters (the optimiser's space).</summary>
    public double EvaluateUnconstrained(ReadOnlySpan<double> unconstrained)
    {
        Span<double> constrained = stackalloc double[unconstrained.Length];
        Constrain(unconstrained, constrained);
        return Evaluate(constrained);
    }

    /// <summary>
    /// Log-likelihoods at several unconstrained points, four at a time through <see cref="SarimaBatchKalmanFilter"/>
    /// (the same arithmetic as <see cref="EvaluateUnconstrained"/>, lane by lane).
    /// </summary>
    /// <param name="firstAsSingle">Evaluate points[0] bit for bit as <see cref="EvaluateUnconstrained"/> would (and remember it).</param>
    public void EvaluateUnconstrainedBatch(IReadOnlyList<double[]> points, Span<double> results, bool firstAsSingle = false)
    {
        if (_constrainedPoints is null || _constrainedPoints.Length < points.Count)
        {
            _constrainedPoints = new double[points.Count][];
            for (var i = 0; i < points.Count; i++) _constrainedPoints[i] = new double[_spec.ParameterCount];
        }
        for (var i = 0; i < points.Count; i++) Constrain(points[i], _constrainedPoints[i]);
        EvaluateBatch(new ArraySegment<double[]>(_constrainedPoints, 0, points.Count), results, null, firstAsSingle);
        if (firstAsSingle) Remember(_constrainedPoints[0], results[0]);
    }

    /// <summary>
    /// Log-likelihoods at several constrained points, four at a time; optionally each point's per-observation
    /// terms (<paramref name="perObservation"/>[point][t], 0 for burned ones).
    /// </summary>
    public void EvaluateBatch(IReadOnlyList<double[]> points, Span<double> results, double[][]? perObservation = null, bool firstAsSingle = false)
    {
        const int lanes = SarimaBatchKalmanFilter.Lanes;
        _batch ??= new SarimaBatchKalmanFilter(_spec);
        _interleaved ??= new double[_scaledSeries.Length * lanes];
        var terms = perObservation is null ? null : new double[_scaledSeries.Length * lanes];
        Span<double> laneResults = stackalloc double[lanes];
        Span<bool> usable = stackalloc bool[lanes];
        var diffuse = SarimaStateSpace.ApproximateDiffuseVariance / (Scale * Scale);
        for (var first = 0; first < points.Count; first += lanes)
        {
            for (var lane = 0; lane < lanes; lane++)
            {
                // Spare lanes repeat the group's first point (already loaded into lane 0).
                if (first + lane >= points.Count)
                {
                    _batch.CopyLane(0, lane);
                    usable[lane] = usable[0];
                    for (var t = 0; t < _scaledSeries.Length; t++) _interleaved[t * lanes + lane] = _interleaved[t * lanes];
                    continue;
                }
                ReadOnlySpan<double> constrained = points[first + lane];
                var mean = Split(constrained, out var betas, out var ar, out var ma, out var seasonalAr, out var seasonalMa, out var sigma2);
                usable[lane] = sigma2 > 0 && double.IsFinite(sigma2) && _batch.Load(lane, ar, ma, seasonalAr, seasonalMa, sigma2, diffuse);
                // An inadmissible lane runs as white noise and is reported as NaN.
                if (!usable[lane]) _batch.Load(lane, [], [], [], [], 1, diffuse);
                if (_spec.Regressors > 0)
                {
                    Regress(mean, betas, _adjusted);
                    for (var t = 0; t < _scaledSeries.Length; t++) _interleaved[t * lanes + lane] = _adjusted[t];
                }
                else
                    for (var t = 0; t < _scaledSeries.Length; t++)
                        _interleaved[t * lanes + lane] = _scaledSeries[t] - (_spec.IncludeConstant ? mean * _regressor[t] : 0);
            }
            _batch.LogLikelihood(_interleaved, Burn, laneResults, terms, firstAsSingle && first == 0);
            for (var lane = 0; lane < lanes && first + lane < points.Count; lane++)
            {
                results[first + lane] = usable[lane] ? laneResults[lane] : double.NaN;
                if (perObservation is not null)
                    for (var t = 0; t < _scaledSeries.Length; t++) perObservation[first + lane][t] = terms![t * lanes + lane];
            }
        }
    }

    /// <summary>statsmodels' <c>transform_params</c>: stationary AR, invertible MA (negated), σ² = u².</summary>
    public void Constrain(ReadOnlySpan<double> unconstrained, Span<double> constrained)
    {
        var offset = _spec.RegressionTerms;
        unconstrained[..offset].CopyTo(constrained);
        offset = ConstrainBlock(unconstrained, constrained, offset, _spec.ArOrder, negate: false);
        offset = ConstrainBlock(unconstrained, constrained, offset, _spec.MaOrder, negate: true);
        offset = ConstrainBlock(unconstrained, constrained, offset, _spec.SeasonalArOrder, negate: false);
        offset = ConstrainBlock(unconstrained, constrained, offset, _spec.SeasonalMaOrder, negate: true);
        constrained[offset] = unconstrained[offset] * unconstrained[offset];
    }

    /// <summary>statsmodels' <c>untransform_params</c>.</summary>
    public void Unconstrain(ReadOnlySpan<double> constrained, Span<double> unconstrained)
    {
        var offset = _spec.RegressionTerms;
        constrained[..offset].CopyTo(unconstrained);
        foreach (var (order, negate) in new[] { (_spec.ArOrder, false), (_spec.MaOrder, true), (_spec.SeasonalArOrder, false), (_spec.SeasonalMaOrder, true) })
        {
            var block = constrained.Slice(offset, order).ToArray();
            if (negate) for (var i = 0; i < block.Length; i++) block[i] = -block[i];
            StationarityTransform.Unconstrain(block, unconstrained.Slice(offset, order));
            offset += order;
        }
        unconstrained[offset] = Math.Sqrt(constrained[offset]);
    }

    private int ConstrainBlock(ReadOnlySpan<double> unconstrained, Span<double> constrained, int offset, int order, bool negate)
    {
        if (order == 0) return offset;
        var target = constrained.Slice(offset, order);
        StationarityTransform.Constrain(unconstrained.Slice(offset, order), target, _transformScratch);
        if (negate) for (var i = 0; i < order; i++) target[i] = -target[i];
        return offset + order;
    }
}
