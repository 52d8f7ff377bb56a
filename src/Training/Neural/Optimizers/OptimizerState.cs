namespace Forecasting.Training.Neural.Optimizers;

/// <summary>An optimiser's state between steps: Keras "iterations", the per-parameter slots (Adam's m and v, SGD's velocity) and schedule values.</summary>
public sealed record OptimizerState(long Iterations, float[][]? SlotsA, float[][]? SlotsB, double[] Schedule);
