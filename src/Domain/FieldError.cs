namespace Forecasting.Domain;

/// <summary>A validation problem tied to a request field (e.g. "split.trainTo", "model.units[0]") or a file position.</summary>
public sealed record FieldError(string Field, string Message);
