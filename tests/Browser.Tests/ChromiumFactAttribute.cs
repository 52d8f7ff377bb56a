namespace Forecasting.Browser.Tests;

/// <summary>A fact that drives chromium: skipped with the reason where it cannot be had, unless CI requires it.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.Required)
            Skip = $"{Chromium.Reason} Set {Chromium.RequireVariable}=1 to make this a failure.";
    }
}
