using System.Text.Json.Serialization;

namespace Forecasting.Domain;

/// <summary>
/// The work queues: statistical jobs have their own worker slots, so they never wait behind neural training, and
/// long statistical jobs wait in <see cref="Bulk"/>, so quick ones never wait behind them; a worker serves the queues
/// in <c>Jobs:Queues</c> (a GPU node can serve only <see cref="Neural"/>). A kind names its queue in its traits
/// (ModelKindTraits.Queue); the submission moves a statistical job whose estimated work is above <c>Jobs:BulkWork</c>
/// to <see cref="Bulk"/>.
/// </summary>
[JsonConverter(typeof(WireEnumConverter<WorkQueue>))]
public enum WorkQueue
{
    /// <summary>The statistical kinds' runs and backtests of small estimated work, and schedule firings.</summary>
    [JsonStringEnumMemberName("statistical")] Statistical,

    /// <summary>The neural networks.</summary>
    [JsonStringEnumMemberName("neural")] Neural,

    /// <summary>The statistical runs and backtests whose estimated work is above <c>Jobs:BulkWork</c>.</summary>
    [JsonStringEnumMemberName("bulk")] Bulk,
}
