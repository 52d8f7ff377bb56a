using Forecasting.Bench;

// dotnet run -c Release --project bench/Forecasting.Bench -- <suite> [options]
var suites = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["serve"] = ServeSuite.RunAsync,
    ["batch"] = BatchSuite.RunAsync,
    ["sarima"] = SarimaSuite.RunAsync,
    ["engine"] = EngineSuite.RunAsync,
    ["ingest"] = IngestSuite.RunAsync,
    ["chapter"] = ChapterSuite.RunAsync,
    ["jobs"] = JobsSuite.RunAsync,
    ["catalogue"] = CatalogueSuite.RunAsync,
    ["fleet"] = FleetSuite.RunAsync,
    ["stateless"] = StatelessSuite.RunAsync,
    ["update"] = UpdateSuite.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Forecasting.Bench <{string.Join('|', suites.Keys)}> [options]");
    return 2;
}
return await run(args[1..]);
