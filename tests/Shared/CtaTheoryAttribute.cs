namespace Forecasting.Tests.Shared;

/// <summary>A theory that needs the CTA file: skipped with a reason when it is absent, unless CI requires it.</summary>
public sealed class CtaTheoryAttribute : TheoryAttribute
{
    public CtaTheoryAttribute()
    {
        if (CtaData.FindPath() is null && !CtaData.Required)
            Skip = $"CTA data not found (../shared/data/cta_ridership.csv or ${CtaData.PathVariable}); set {CtaData.RequireVariable}=1 to make this a failure.";
    }
}
