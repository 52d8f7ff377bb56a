namespace Forecasting.Api.Tests.Infrastructure;

/// <summary>A host with the given settings, a 60-day daily dataset and a naive model on it, shared by a test class.</summary>
public abstract class NaiveModelFixture(Dictionary<string, string?> settings) : IAsyncLifetime
{
    public ApiFactory Factory { get; } = ApiFactory.With(settings);
    public HttpClient Client { get; private set; } = null!;
    public string DatasetId { get; private set; } = "";
    public string ModelId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        DatasetId = (await TestDatasets.UploadDailyAsync(Client, days: 60)).Id();
        var model = await Client.TrainAsync(new { datasetId = DatasetId, targets = new[] { "value" }, split = new { trainFrom = "2020-01-01", trainTo = "2020-02-15" }, model = new { kind = "naive" } });
        ModelId = model.GetProperty("id").GetString()!;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
