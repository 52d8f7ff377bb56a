namespace Forecasting.Tests.Shared;

/// <summary>
/// Locates the chapter's CTA ridership file. It lives only in ../shared/data beside the repository
/// (never copied in); FORECASTING_CTA_CSV overrides the path. Where the file is absent, tests marked
/// [CtaFact] are skipped with a visible reason, unless FORECASTING_REQUIRE_CTA=1 (set by .ci/run),
/// in which case they run and fail loudly.
/// </summary>
public static class CtaData
{
    public const string PathVariable = "FORECASTING_CTA_CSV";
    public const string RequireVariable = "FORECASTING_REQUIRE_CTA";

    public static string? FindPath()
    {
        var overridden = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return File.Exists(overridden) ? overridden : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "cta_ridership.csv");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The path, or an exception explaining how to provide the file.</summary>
    public static string RequiredPath => FindPath() ?? throw new FileNotFoundException(
        $"cta_ridership.csv not found: put it in ../shared/data beside the repository or set {PathVariable}.");
}
