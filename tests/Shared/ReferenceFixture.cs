using System.Text.Json;

namespace Forecasting.Tests.Shared;

/// <summary>Reads a committed reference fixture (tests/Reference/Fixtures), copied beside the test binaries.</summary>
public static class ReferenceFixture
{
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        if (!File.Exists(path)) throw new FileNotFoundException($"Reference fixture '{name}' is missing: run its script in tests/Reference.", path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
