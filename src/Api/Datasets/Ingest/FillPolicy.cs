namespace Forecasting.Api.Datasets.Ingest;

/// <summary>How ingest treats missing timestamps (gaps) and empty cells. Without one, both are errors.</summary>
public enum FillPolicy
{
    /// <summary>Reject gaps and empty cells (the default).</summary>
    None,

    /// <summary>Carry the last observed value forward (pandas ffill); an empty first cell is still an error.</summary>
    ForwardFill,

    /// <summary>Linear interpolation between the neighbouring observations; leading/trailing holes take the nearest value.</summary>
    Interpolate,

    /// <summary>Numeric holes become 0.</summary>
    Zero,
}

public static class FillPolicies
{
    public const string Names = "ffill, interpolate, zero";

    /// <summary>Parses the API's name (null or empty means <see cref="FillPolicy.None"/>).</summary>
    public static bool TryParse(string? text, out FillPolicy policy)
    {
        policy = text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "none" => FillPolicy.None,
            "ffill" or "pad" or "forward" => FillPolicy.ForwardFill,
            "interpolate" or "linear" => FillPolicy.Interpolate,
            "zero" or "zeros" => FillPolicy.Zero,
            _ => (FillPolicy)(-1),
        };
        return Enum.IsDefined(policy);
    }
}
