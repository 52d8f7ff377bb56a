using System.Security.Cryptography;
using System.Text;
using Forecasting.Domain;

namespace Forecasting.Api.Models;

/// <summary>
/// What a model's validation metrics were measured on: how many series had a validation period, the earliest and
/// latest validation timestamps, and a key naming the exact set (dataset, and each series' id and validation
/// bounds). Two models' validation figures are comparable only when their keys and ranked targets are equal. A series
/// the model skipped (no fit, so no validation forecasts) is not in its scope.
/// </summary>
public sealed record ValidationScope(int Series, string? From, string? To, string Key)
{
    public static ValidationScope Of(Guid datasetId, DatasetFrame frame, IReadOnlyDictionary<string, SeriesPeriods> periods, IReadOnlySet<string>? skipped = null)
    {
        var frequency = frame.Frequency;
        var bounds = frame.Series
            .Where(s => periods.TryGetValue(s.Id, out var p) && p.Valid is { IsEmpty: false } && skipped?.Contains(s.Id) != true)
            .Select(s => (s.Id, First: frequency.Add(s.Start, periods[s.Id].Valid!.Value.Start), Last: frequency.Add(s.Start, periods[s.Id].Valid!.Value.End - 1)))
            .OrderBy(b => b.Id, StringComparer.Ordinal).ToList();
        var text = new StringBuilder(datasetId.ToString("N"));
        foreach (var (id, first, last) in bounds) text.Append('\n').Append(id).Append('\t').Append(first).Append('\t').Append(last);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return bounds.Count == 0
            ? new ValidationScope(0, null, null, key)
            : new ValidationScope(bounds.Count, frequency.Format(bounds.Min(b => b.First)), frequency.Format(bounds.Max(b => b.Last)), key);
    }
}
