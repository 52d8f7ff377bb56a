using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Forecasting.Bench;

/// <summary>
/// One suite's results: printed as a Markdown table plus one machine-readable
/// <c>RESULT suite.row metric=value …</c> line per row, and written into that suite's own
/// section of docs/benchmarks.md (other suites' sections are kept).
/// </summary>
public sealed class BenchReport(string suite, string title, params string[] columns)
{
    private readonly List<(string Row, string[] Cells, (string Name, double Value)[] Metrics)> _rows = [];
    private readonly List<string> _notes = [];

    public void Add(string row, string[] cells, params (string Name, double Value)[] metrics)
    {
        _rows.Add((row, cells, metrics));
        var line = new StringBuilder($"RESULT {suite}.{row}");
        foreach (var (name, value) in metrics) line.Append(CultureInfo.InvariantCulture, $" {name}={Format(value)}");
        Console.WriteLine(line);
    }

    public void Note(string note) => _notes.Add(note);

    public static string Format(double value) => value switch
    {
        double.NaN => "NaN",
        _ when Math.Abs(value) >= 1000 || value == Math.Round(value) => value.ToString("0.##", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 1 => value.ToString("0.###", CultureInfo.InvariantCulture),
        _ => value.ToString("0.####E+0", CultureInfo.InvariantCulture) is var e && Math.Abs(value) < 1e-3 ? e : value.ToString("0.#####", CultureInfo.InvariantCulture),
    };

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"## {title}").AppendLine();
        sb.AppendLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.").AppendLine();
        sb.AppendLine("| " + string.Join(" | ", columns) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", columns.Length)));
        foreach (var (_, cells, _) in _rows) sb.AppendLine("| " + string.Join(" | ", cells) + " |");
        foreach (var note in _notes) sb.AppendLine().AppendLine(note);
        return sb.ToString();
    }

    /// <summary>Prints the table and replaces this suite's section of docs/benchmarks.md.</summary>
    public void Publish(string? docsPath = null)
    {
        var markdown = ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        docsPath ??= Path.Combine(RepositoryRoot(), "docs", "benchmarks.md");
        Directory.CreateDirectory(Path.GetDirectoryName(docsPath)!);
        var begin = $"<!-- suite:{suite} -->";
        var end = $"<!-- /suite:{suite} -->";
        var existing = File.Exists(docsPath) ? File.ReadAllText(docsPath) : "# Benchmarks\n\nRegenerate a section with `dotnet run -c Release --project bench/Forecasting.Bench -- <suite>`.\n";
        var section = $"{begin}\n{markdown}{end}";
        var start = existing.IndexOf(begin, StringComparison.Ordinal);
        var stop = existing.IndexOf(end, StringComparison.Ordinal);
        var updated = start >= 0 && stop > start
            ? existing[..start] + section + existing[(stop + end.Length)..]
            : existing.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(docsPath, updated);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Forecasting.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Median of a sample (the figure quoted from several noisy runs).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The option's value after <c>--name</c>, or the default.</summary>
    public static string? Option(string[] args, string name, string? fallback = null)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
