using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Api.Jobs;

/// <summary>
/// The work queues: statistical jobs have their own worker slots, so they never wait behind neural training;
/// a worker serves the queues in <c>Jobs:Queues</c> (a GPU node can serve only <see cref="Neural"/>).
/// </summary>
[JsonConverter(typeof(WireEnumConverter<WorkQueue>))]
public enum WorkQueue
{
    /// <summary>naive, seasonal_naive, sarima, auto_sarima (runs and backtests), and schedule firings.</summary>
    [JsonStringEnumMemberName("statistical")] Statistical,

    /// <summary>Every other model kind: the neural networks.</summary>
    [JsonStringEnumMemberName("neural")] Neural,
}
