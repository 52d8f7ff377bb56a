using Forecasting.Tests.Shared;

namespace Forecasting.Browser.Tests;

/// <summary>A browser fact on the chapter's CTA data: skipped with the reason where chromium or the file is absent, unless CI requires them.</summary>
public sealed class ChromiumCtaFactAttribute : FactAttribute
{
    public ChromiumCtaFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.Required)
            Skip = $"{Chromium.Reason} Set {Chromium.RequireVariable}=1 to make this a failure.";
        else if (CtaData.FindPath() is null && !CtaData.Required)
            Skip = $"CTA data not found (../shared/data/cta_ridership.csv or ${CtaData.PathVariable}); set {CtaData.RequireVariable}=1 to make this a failure.";
    }
}
