namespace Forecasting.Training.Models;

/// <summary>
/// A training loop's state after <see cref="Epoch"/> epochs, as opaque bytes the training backend writes and reads
/// (either neural backend: weights, optimiser state, random generator state, early-stopping state, history, sample order).
/// </summary>
public sealed record TrainingCheckpoint(int Epoch, byte[] State);
