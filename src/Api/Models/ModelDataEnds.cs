using Forecasting.Api.Http;
using Forecasting.Domain;

namespace Forecasting.Api.Models;

/// <summary>
/// The last observation of each series a model has seen (series id → time ordinal), stored with the model as JSON: an
/// update without refit accepts only observations after it.
/// </summary>
public static class ModelDataEnds
{
    public static string Serialize(DatasetFrame frame) => Serialize(frame.Series.ToDictionary(s => s.Id, s => s.End(frame.Frequency), StringComparer.Ordinal));

    public static string Serialize(IReadOnlyDictionary<string, long> ends) => ApiJson.Serialize(ends);

    public static Dictionary<string, long> Deserialize(string json) =>
        new(ApiJson.Deserialize<Dictionary<string, long>>(json), StringComparer.Ordinal);
}
