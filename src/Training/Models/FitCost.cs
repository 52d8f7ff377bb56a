using System.Text.Json.Serialization;
using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>
/// How much one fit of a kind costs, in rough classes (<see cref="ModelKindTraits.FitCost"/>): what the job submission
/// weighs a statistical job's fits by to send long jobs to the bulk queue (<see cref="WorkQueue.Bulk"/>).
/// </summary>
[JsonConverter(typeof(WireEnumConverter<FitCost>))]
public enum FitCost
{
    /// <summary>A closed form or a few passes over the series (naive, seasonal naive, the intermittent-demand methods, theta): milliseconds.</summary>
    [JsonStringEnumMemberName("light")] Light,

    /// <summary>A numerical optimisation, often over several candidate models (SARIMA, ETS, MSTL, the searches): up to a minute per series.</summary>
    [JsonStringEnumMemberName("heavy")] Heavy,
}
