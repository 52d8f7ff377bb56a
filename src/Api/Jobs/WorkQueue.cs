namespace Forecasting.Api.Jobs;

/// <summary>
/// The work queues: statistical jobs have their own worker slots, so they never wait behind neural training;
/// a worker serves the queues in <c>Jobs:Queues</c> (a GPU node can serve only <see cref="Neural"/>).
/// </summary>
public enum WorkQueue
{
    /// <summary>naive, seasonal_naive, sarima, auto_sarima (runs and backtests), and schedule firings.</summary>
    Statistical,

    /// <summary>Every other model kind: the neural networks.</summary>
    Neural,
}
