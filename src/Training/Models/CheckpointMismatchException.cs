namespace Forecasting.Training.Models;

/// <summary>
/// A stored checkpoint that cannot continue this training (another format version, another architecture):
/// thrown before any training, so the caller can discard it and start from scratch.
/// </summary>
public sealed class CheckpointMismatchException(string message, Exception? inner = null) : Exception(message, inner);
