using Forecasting.Api.Jobs;
using Forecasting.Domain;
using Microsoft.Extensions.Configuration;

namespace Forecasting.Api.Tests;

/// <summary>The Jobs section as an operator writes it (environment variables, command line).</summary>
public sealed class JobsOptionsTests
{
    [Fact]
    public void A_worker_serves_every_queue_by_default_and_only_those_it_names()
    {
        Assert.Equal([WorkQueue.Statistical, WorkQueue.Neural, WorkQueue.Bulk], Bind([]).ServedQueues);
        var gpu = Bind(new() { ["Jobs:Queues:0"] = "neural", ["Jobs:Workers"] = "4" });
        Assert.Equal([WorkQueue.Neural], gpu.ServedQueues);
        Assert.Equal(4, gpu.Workers);
        // A worker for quick statistical jobs takes no bulk job unless it names bulk too.
        Assert.Equal([WorkQueue.Statistical], Bind(new() { ["Jobs:Queues:0"] = "statistical" }).ServedQueues);
        Assert.Equal([WorkQueue.Statistical, WorkQueue.Bulk], Bind(new() { ["Jobs:Queues:0"] = "statistical", ["Jobs:Queues:1"] = "bulk" }).ServedQueues);
    }

    [Fact]
    public void The_bulk_threshold_is_configurable_and_must_be_positive()
    {
        Assert.Equal(3_000, Bind([]).BulkWork);
        Assert.Equal(250, Bind(new() { ["Jobs:BulkWork"] = "250" }).BulkWork);
        var zero = Bind(new() { ["Jobs:BulkWork"] = "0" });
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(zero, new(zero), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(JobsOptions.BulkWork)));
    }

    [Fact]
    public void A_queue_the_service_does_not_have_is_refused_by_its_key_not_dropped()
    {
        var typo = Bind(new() { ["Jobs:Queues:0"] = "neural", ["Jobs:Queues:1"] = "gpu" });
        var error = Assert.Single(typo.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(typo)));
        Assert.Equal("Jobs:Queues:1 must be one of statistical, neural, bulk; it is 'gpu'.", error.ErrorMessage);
        Assert.Equal([WorkQueue.Neural], Bind(new() { ["Jobs:Queues:0"] = " Neural " }).ServedQueues);
    }

    [Fact]
    public void A_queue_has_the_name_configuration_gives_it()
    {
        Assert.Equal("statistical", WorkQueue.Statistical.ToWire());
        Assert.Equal("neural", WorkQueue.Neural.ToWire());
        Assert.Equal("bulk", WorkQueue.Bulk.ToWire());
    }

    private static JobsOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
}
