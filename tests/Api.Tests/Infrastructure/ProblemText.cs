namespace Forecasting.Api.Tests.Infrastructure;

/// <summary>What a problem answer must never show a client: .NET types, members, reader options, stack traces.</summary>
public static class ProblemText
{
    private static readonly string[] Forbidden = ["System.", ".NET", "reader options", "   at ", "Exception", "IReadOnlyList", "`1", "Nullable<", "Failed to bind"];

    public static void AssertPlain(string body)
    {
        foreach (var text in Forbidden)
            Assert.False(body.Contains(text, StringComparison.Ordinal), $"The answer names '{text}': {body}");
    }
}
