namespace Forecasting.Training.Statistical.Auto;

/// <summary>
/// How one candidate did in <c>auto</c>'s cross-validation for one series: its mean absolute error over the windows,
/// or why it was not scored (too little data for it before the first window, a failed fit).
/// </summary>
public sealed record AutoCandidateScore(string Kind, double? Mae, string? NotScored);
