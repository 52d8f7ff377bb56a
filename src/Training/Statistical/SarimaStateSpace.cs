using System.Runtime.Intrinsics;

namespace Forecasting.Training.Statistical;

/// <summary>
/// statsmodels SARIMAX's state-space form (non-Hamilton, <c>simple_differencing=False</c>):
/// state = [d differencing states | D blocks of s seasonal-differencing states | ARMA companion block of
/// r = max(p+sP, q+sQ+1)], y_t = Z α_t (+ constant regression), α_{t+1} = T α_t + R ε_t, ε ~ N(0, σ²).
/// Differencing happens inside the state space so the whole series enters the likelihood.
/// Initialisation (statsmodels' default, <c>use_exact_diffuse=False</c>): differencing states get the
/// approximate diffuse prior N(0, 10⁶·I) and their first d+sD log-likelihood terms are burned; the ARMA
/// block starts at its stationary distribution (discrete Lyapunov solution).
/// T is held as a sparse list of entries so that one filter step costs O(entries·m), not O(m³).
/// </summary>
internal sealed unsafe class SarimaStateSpace
{
    /// <summary>statsmodels' <c>initial_variance</c> for approximate diffuse states, in data units².</summary>
    public const double ApproximateDiffuseVariance = 1e6;

    public SarimaSpec Spec { get; }
    public int StateCount { get; }
    public int DifferencingStateCount { get; }
    public int ArmaOrder { get; }

    /// <summary>Positions of Z's nonzero entries (all equal to 1).</summary>
    public int[] DesignIndices { get; }
    public int[] TransitionRow { get; }
    public int[] TransitionColumn { get; }
    public double[] TransitionValue { get; }
    /// <summary>Indices into the transition entries, grouped by row: row i owns RowEntries[RowStart[i]..RowStart[i+1]).</summary>
    public int[] RowEntries { get; }
    public int[] RowStart { get; }
    /// <summary>
    /// Runs of consecutive rows i in [ShiftRunFirst[r], ShiftRunEnd[r]) whose only transition entry is a fixed 1 at
    /// column i + ShiftRunOffset[r]: for them (T M)[i, ·] is row i + offset of M, a plain copy.
    /// </summary>
    public int[] ShiftRunFirst { get; }
    public int[] ShiftRunEnd { get; }
    public int[] ShiftRunOffset { get; }
    /// <summary>The other rows (no entry, several, or an AR coefficient), in increasing order.</summary>
    public int[] GeneralRows { get; }
    /// <summary>R, the selection vector (1, θ₁, θ₂, …) placed on the ARMA block.</summary>
    public double[] Selection { get; }
    /// <summary>Initial state covariance P₁ (row-major m×m), in the filter's units.</summary>
    public double[] InitialCovariance { get; }
    public double Sigma2 { get; private set; }

    private readonly int _arEntryStart;
    private readonly double[] _reducedAr;
    private readonly double[] _reducedMa;
    private readonly double[] _lyapunovA, _lyapunovX, _lyapunovTmp, _lyapunovTmp2, _lyapunovTranspose;

    public SarimaStateSpace(SarimaSpec spec)
    {
        Spec = spec;
        var s = spec.EffectiveSeason;
        var d = spec.Differences;
        var seasonalD = spec.SeasonalDifferences;
        DifferencingStateCount = spec.DifferencingStates;
        ArmaOrder = Math.Max(spec.ReducedArOrder, spec.ReducedMaOrder + 1);
        StateCount = DifferencingStateCount + ArmaOrder;
        var armaStart = DifferencingStateCount;

        var design = new List<int>();
        for (var i = 0; i < d; i++) design.Add(i);
        for (var b = 0; b < seasonalD; b++) design.Add(d + b * s + s - 1);
        design.Add(armaStart);
        DesignIndices = [.. design];

        var rows = new List<int>();
        var cols = new List<int>();
        void Add(int r, int c) { rows.Add(r); cols.Add(c); }
        // Simple differencing: upper-triangular ones, plus the seasonal blocks' outputs and the ARMA output.
        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++) Add(i, j);
            for (var b = 0; b < seasonalD; b++) Add(i, d + b * s + s - 1);
            Add(i, armaStart);
        }
        // Seasonal differencing blocks: a rotation that feeds the block's last state back to its first.
        for (var b = 0; b < seasonalD; b++)
        {
            var start = d + b * s;
            var end = start + s;
            Add(start, start + s - 1);
            for (var i = 1; i < s; i++) Add(start + i, start + i - 1);
            if (b < seasonalD - 1) Add(start, end + s - 1);
            Add(start, armaStart);
        }
        // ARMA companion: ones above the diagonal, then the AR coefficients in the first column (set per update).
        for (var i = 0; i < ArmaOrder - 1; i++) Add(armaStart + i, armaStart + i + 1);
        _arEntryStart = rows.Count;
        for (var i = 0; i < spec.ReducedArOrder; i++) Add(armaStart + i, armaStart);
        TransitionRow = [.. rows];
        TransitionColumn = [.. cols];
        TransitionValue = new double[rows.Count];
        for (var e = 0; e < _arEntryStart; e++) TransitionValue[e] = 1;
        RowEntries = Enumerable.Range(0, rows.Count).OrderBy(e => rows[e]).ThenBy(e => e).ToArray();
        RowStart = new int[StateCount + 1];
        foreach (var row in rows) RowStart[row + 1]++;
        for (var i = 0; i < StateCount; i++) RowStart[i + 1] += RowStart[i];

        // Rows whose only entry is a fixed 1 at column i + δ, grouped into runs of equal δ; every other row is "general".
        var shiftFirst = new List<int>();
        var shiftEnd = new List<int>();
        var shiftOffset = new List<int>();
        var general = new List<int>();
        for (var i = 0; i < StateCount; i++)
        {
            var isShift = RowStart[i + 1] - RowStart[i] == 1 && RowEntries[RowStart[i]] < _arEntryStart;
            if (!isShift) { general.Add(i); continue; }
            var offset = cols[RowEntries[RowStart[i]]] - i;
            if (shiftEnd.Count > 0 && shiftEnd[^1] == i && shiftOffset[^1] == offset) shiftEnd[^1] = i + 1;
            else { shiftFirst.Add(i); shiftEnd.Add(i + 1); shiftOffset.Add(offset); }
        }
        ShiftRunFirst = [.. shiftFirst];
        ShiftRunEnd = [.. shiftEnd];
        ShiftRunOffset = [.. shiftOffset];
        GeneralRows = [.. general];

        Selection = new double[StateCount];
        InitialCovariance = new double[StateCount * StateCount];
        _reducedAr = new double[spec.ReducedArOrder];
        _reducedMa = new double[spec.ReducedMaOrder];
        var r2 = ArmaOrder * ArmaOrder;
        _lyapunovA = new double[r2];
        _lyapunovX = new double[r2];
        _lyapunovTmp = new double[r2];
        _lyapunovTmp2 = new double[r2];
        _lyapunovTranspose = new double[r2];
    }

    /// <summary>
    /// Loads constrained ARMA parameters and σ² (already in the filter's units); diffuse variance likewise.
    /// Returns false when the ARMA block has no stationary covariance (should not happen inside the transform).
    /// </summary>
    public bool Update(ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, ReadOnlySpan<double> seasonalAr,
        ReadOnlySpan<double> seasonalMa, double sigma2, double diffuseVariance)
    {
        var s = Spec.EffectiveSeason;
        // (1 − Σφ_i L^i)(1 − ΣΦ_j L^{sj}) = 1 − Σ a_k L^k
        Array.Clear(_reducedAr);
        for (var i = 0; i < ar.Length; i++) _reducedAr[i] += ar[i];
        for (var j = 0; j < seasonalAr.Length; j++)
        {
            _reducedAr[(j + 1) * s - 1] += seasonalAr[j];
            for (var i = 0; i < ar.Length; i++) _reducedAr[(j + 1) * s + i] -= ar[i] * seasonalAr[j];
        }
        // (1 + Σθ_i L^i)(1 + ΣΘ_j L^{sj}) = 1 + Σ b_k L^k
        Array.Clear(_reducedMa);
        for (var i = 0; i < ma.Length; i++) _reducedMa[i] += ma[i];
        for (var j = 0; j < seasonalMa.Length; j++)
        {
            _reducedMa[(j + 1) * s - 1] += seasonalMa[j];
            for (var i = 0; i < ma.Length; i++) _reducedMa[(j + 1) * s + i] += ma[i] * seasonalMa[j];
        }
        for (var i = 0; i < _reducedAr.Length; i++) TransitionValue[_arEntryStart + i] = _reducedAr[i];

        var armaStart = DifferencingStateCount;
        Array.Clear(Selection);
        Selection[armaStart] = 1;
        for (var i = 0; i < _reducedMa.Length; i++) Selection[armaStart + 1 + i] = _reducedMa[i];
        Sigma2 = sigma2;

        var m = StateCount;
        Array.Clear(InitialCovariance);
        for (var i = 0; i < DifferencingStateCount; i++) InitialCovariance[i * m + i] = diffuseVariance;
        if (!SolveStationaryCovariance()) return false;
        var r = ArmaOrder;
        for (var i = 0; i < r; i++)
            for (var j = 0; j < r; j++)
                InitialCovariance[(armaStart + i) * m + armaStart + j] = _lyapunovX[i * r + j];
        return true;
    }

    /// <summary>
    /// X = A X Aᵀ + σ² R Rᵀ for the ARMA companion block, by the doubling iteration
    /// X ← X + A X Aᵀ, A ← A²; converges quadratically because A is stable.
    /// </summary>
    private bool SolveStationaryCovariance()
    {
        var r = ArmaOrder;
        var a = _lyapunovA;
        var x = _lyapunovX;
        Array.Clear(a);
        for (var i = 0; i < r - 1; i++) a[i * r + i + 1] = 1;
        for (var i = 0; i < _reducedAr.Length; i++) a[i * r] = _reducedAr[i];
        var armaStart = DifferencingStateCount;
        for (var i = 0; i < r; i++)
            for (var j = 0; j < r; j++)
                x[i * r + j] = Sigma2 * Selection[armaStart + i] * Selection[armaStart + j];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var norm = 0.0;
            for (var k = 0; k < a.Length; k++) norm = Math.Max(norm, Math.Abs(a[k]));
            if (norm < 1e-300) return true;
            // tmp = A X; tmp2 = tmp Aᵀ; X += tmp2
            Multiply(a, x, _lyapunovTmp, r, transposeRight: false);
            Multiply(_lyapunovTmp, a, _lyapunovTmp2, r, transposeRight: true);
            var change = 0.0;
            var size = 0.0;
            for (var k = 0; k < x.Length; k++)
            {
                x[k] += _lyapunovTmp2[k];
                change = Math.Max(change, Math.Abs(_lyapunovTmp2[k]));
                size = Math.Max(size, Math.Abs(x[k]));
            }
            if (!double.IsFinite(size)) return false;
            if (change <= 1e-16 * size) return true;
            Multiply(a, a, _lyapunovTmp, r, transposeRight: false);
            Array.Copy(_lyapunovTmp, a, a.Length);
        }
        return false;
    }

    /// <summary>
    /// result = left · right (or left · rightᵀ), n×n row-major. Each cell is Σ_k left[i, k]·right[k, j] summed in
    /// increasing k from zero; rows are processed four cells at a time (the per-cell arithmetic is unchanged).
    /// </summary>
    private void Multiply(double[] left, double[] right, double[] result, int n, bool transposeRight)
    {
        if (transposeRight)
        {
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) _lyapunovTranspose[i * n + j] = right[j * n + i];
            right = _lyapunovTranspose;
        }
        fixed (double* l = left, r = right, o = result)
        {
            for (var i = 0; i < n; i++)
            {
                var j = 0;
                for (; j + 4 <= n; j += 4)
                {
                    var sum = Vector256<double>.Zero;
                    for (var k = 0; k < n; k++) sum += Vector256.Create(l[i * n + k]) * Vector256.Load(r + k * n + j);
                    Vector256.Store(sum, o + i * n + j);
                }
                for (; j < n; j++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < n; k++) sum += l[i * n + k] * r[k * n + j];
                    o[i * n + j] = sum;
                }
            }
        }
    }
}
