namespace Forecasting.Tests.Shared;

/// <summary>How a service process that refused to start ended: exit code, everything it printed, and whether its port ever accepted a connection.</summary>
public sealed record ServiceExit(int Code, string Output, bool PortAccepted)
{
    /// <summary>The non-blank lines printed.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
