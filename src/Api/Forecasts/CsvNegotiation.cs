using Microsoft.Net.Http.Headers;

namespace Forecasting.Api.Forecasts;

public static class CsvNegotiation
{
    /// <summary>True when the client's Accept header prefers text/csv to JSON.</summary>
    public static bool WantsCsv(this HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().Accept;
        if (accepted is not { Count: > 0 }) return false;
        var csv = accepted.Where(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var json = accepted.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || a.MediaType.Equals("*/*", StringComparison.Ordinal))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return csv > 0 && csv >= json;
    }
}
