namespace Forecasting.Api.Anomalies;

/// <summary>
/// One judged observation of one target: the actual value, the forecast made <c>step</c> steps before it, and per level
/// ("95") the interval bounds, the score (how far the actual lies from the mean in units of the interval's half-width on
/// its side: above 1 is outside) and the flag. The score is absent where that half-width is zero.
/// </summary>
public sealed record AnomalyPoint(string Series, string Target, object Timestamp, double Actual, double Mean,
    IReadOnlyDictionary<string, double> Lower, IReadOnlyDictionary<string, double> Upper,
    IReadOnlyDictionary<string, double?> Score, IReadOnlyDictionary<string, bool> Anomaly);

/// <summary>Per level: observations judged, how many were flagged, and how many an exact interval would flag by chance ((1 − level) × observations).</summary>
public sealed record AnomalyCount(double Level, int Observations, int Flagged, double ExpectedFlagged);

/// <summary>The answer of POST /api/models/{id}/anomalies.</summary>
public sealed record AnomalyResponse(Guid ModelId, string Method, int Step, object From, object To,
    IReadOnlyList<AnomalyCount> Counts, IReadOnlyList<AnomalyPoint> Points);

/// <summary>
/// An append's on-arrival check: the forecaster and model that judged the new observations, at which level, how many
/// were judged and the flagged ones (recorded at GET /api/forecasters/{name}/anomalies).
/// </summary>
public sealed record ArrivalAnomalies(string Forecaster, Guid ModelId, double Level, int Observations, IReadOnlyList<AnomalyPoint> Flagged);
