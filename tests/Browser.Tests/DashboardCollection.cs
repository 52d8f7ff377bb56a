namespace Forecasting.Browser.Tests;

/// <summary>One service and one browser for all browser tests, which run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
