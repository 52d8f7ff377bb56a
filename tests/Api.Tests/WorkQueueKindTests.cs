using Forecasting.Api.Jobs;
using Forecasting.Api.Tests.Infrastructure;
using Forecasting.Training.Models;
using Forecasting.Training.NeuralModels;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>WorkQueues names the statistical kinds by hand: a kind added without it would wait behind neural training.</summary>
public sealed class WorkQueueKindTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public void Every_registered_kind_goes_to_the_queue_of_its_family()
    {
        var kinds = factory.Services.GetRequiredService<ModelKindRegistry>();
        Assert.NotEmpty(kinds.Names);
        foreach (var name in kinds.Names)
            Assert.True((kinds.Get(name) is NeuralModelKind) == (WorkQueues.For(name) == WorkQueue.Neural), $"'{name}' is on the wrong queue");
    }
}
