using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// The work queues: statistical jobs have their own worker slots, so they never wait behind neural training;
/// a worker serves the queues in <c>Jobs:Queues</c> (a GPU node can serve only <see cref="Neural"/>).
/// A kind names its queue in its traits (ModelKindTraits.Queue).
/// </summary>
[JsonConverter(typeof(WireEnumConverter<WorkQueue>))]
public enum WorkQueue
{
    /// <summary>The statistical kinds (runs and backtests), and schedule firings.</summary>
    [JsonStringEnumMemberName("statistical")] Statistical,

    /// <summary>The neural networks.</summary>
    [JsonStringEnumMemberName("neural")] Neural,
}
