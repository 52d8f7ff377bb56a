using Forecasting.Domain;
using Forecasting.Training.Models;

namespace Forecasting.Api.Jobs;

public static class WorkQueues
{
    /// <summary>The queue's name in the job engine and in configuration.</summary>
    public static string Name(this WorkQueue queue) => queue.ToWire();
}
