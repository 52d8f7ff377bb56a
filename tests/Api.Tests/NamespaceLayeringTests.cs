using System.Text.RegularExpressions;

namespace Forecasting.Api.Tests;

/// <summary>
/// The Api's namespaces form layers: no two of them use each other, directly or round a longer loop. Read from the
/// source (each file's namespace, its <c>using Forecasting.Api.…</c> lines and fully qualified names), so a new
/// cycle fails here with the loop it makes. Hosting is composition: only Program.cs and the tests may use it.
/// </summary>
public sealed partial class NamespaceLayeringTests
{
    private static readonly string ApiSource = Path.Combine(RepositoryRoot(), "src", "Api");

    [Fact]
    public void The_api_namespaces_have_no_cycles()
    {
        var uses = NamespaceUses();
        Assert.True(uses.Count > 10, $"Read {uses.Count} namespaces from {ApiSource}; expected the Api's resource namespaces.");
        var cycles = new List<string>();
        foreach (var start in uses.Keys.Order(StringComparer.Ordinal))
        {
            if (PathBack(uses, start) is { } loop) cycles.Add(string.Join(" -> ", loop));
        }
        Assert.True(cycles.Count == 0, "Namespace cycles:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void Only_the_entry_point_uses_hosting()
    {
        var users = SourceFiles()
            .Where(file => Path.GetFileName(file) != "Program.cs" && NamespaceOf(File.ReadAllText(file)) != "Forecasting.Api.Hosting")
            .Where(file => UsedNamespaces(File.ReadAllText(file)).Contains("Forecasting.Api.Hosting"))
            .Select(file => Path.GetRelativePath(ApiSource, file))
            .ToList();
        Assert.True(users.Count == 0, "Hosting is composition; these files use it: " + string.Join(", ", users));
    }

    /// <summary>A shortest path of uses from <paramref name="start"/> back to itself, or null.</summary>
    private static List<string>? PathBack(Dictionary<string, HashSet<string>> uses, string start)
    {
        var cameFrom = new Dictionary<string, string>();
        var frontier = new Queue<string>([start]);
        while (frontier.TryDequeue(out var at))
        {
            foreach (var next in uses.GetValueOrDefault(at, []))
            {
                if (next == start)
                {
                    var loop = new List<string> { start };
                    for (var node = at; node != start; node = cameFrom[node]) loop.Insert(1, node);
                    loop.Add(start);
                    return loop;
                }
                if (cameFrom.TryAdd(next, at)) frontier.Enqueue(next);
            }
        }
        return null;
    }

    private static Dictionary<string, HashSet<string>> NamespaceUses()
    {
        var uses = new Dictionary<string, HashSet<string>>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            if (NamespaceOf(text) is not { } own) continue;
            var set = uses.TryGetValue(own, out var existing) ? existing : uses[own] = [];
            set.UnionWith(UsedNamespaces(text).Where(used => used != own));
        }
        // Only edges between the Api's own namespaces count.
        foreach (var set in uses.Values) set.IntersectWith(uses.Keys);
        return uses;
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(ApiSource, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static string? NamespaceOf(string text) => NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    private static HashSet<string> UsedNamespaces(string text)
    {
        var used = UsingLine().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        // A fully qualified name (Forecasting.Api.Jobs.JobKind) uses its namespace too.
        foreach (Match m in QualifiedName().Matches(text)) used.Add(m.Groups[1].Value);
        return used;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Forecasting.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Forecasting.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"^namespace\s+(Forecasting\.Api[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using\s+(Forecasting\.Api[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])(Forecasting\.Api(?:\.[A-Z]\w*)*)\.[A-Z]\w*\b(?!\s*;)")]
    private static partial Regex QualifiedName();
}
