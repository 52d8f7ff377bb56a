using Forecasting.Api.Deployment;
using Forecasting.Api.Hosting;
using Forecasting.Domain;
using Forecasting.Training.Neural.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Tests;

/// <summary>The Training section as an operator writes it, bound and validated as at start-up.</summary>
public sealed class TrainingOptionsTests
{
    [Fact]
    public void The_section_binds_by_the_wire_names()
    {
        var options = Resolve(new()
        {
            ["Training:Device"] = "cuda", ["Training:Backend"] = "torch", ["Training:TorchThreads"] = "4", ["Training:ManagedThreads"] = "2",
        });
        Assert.Equal(TrainingDevice.Cuda, options.Device);
        Assert.Equal(TrainingBackend.Torch, options.Backend);
        Assert.Equal(4, options.EffectiveTorchThreads);
        Assert.Equal(2, options.EffectiveManagedThreads);

        var defaults = Resolve([]);
        Assert.Equal(TrainingDevice.Cpu, defaults.Device);
        Assert.Null(defaults.Backend);
        Assert.Empty(defaults.ForbiddenBackends);
        Assert.Null(Resolve(new() { ["Training:Backend"] = "" }).Backend);
        Assert.Equal([TrainingBackend.Managed], Resolve(new() { ["Training:ForbiddenBackends:0"] = "managed" }).ForbiddenBackends);
    }

    [Theory]
    [InlineData("Training:Device", "tpu", "cpu, cuda")]
    [InlineData("Training:Device", "1", "cpu, cuda")]
    [InlineData("Training:Device", "CUDA", "cpu, cuda")]
    [InlineData("Training:Backend", "tensorflow", "auto, managed, torch")]
    public void A_value_outside_the_vocabulary_names_the_key_and_the_values(string key, string value, string values)
    {
        var error = Assert.ThrowsAny<Exception>(() => Resolve(new() { [key] = value }));
        var message = string.Join(" ", Chain(error).Select(e => e.Message));
        Assert.Contains(key, message);
        Assert.Contains($"'{value}' is not one of {values}", message);
    }

    [Theory]
    [InlineData("Training:ManagedThreads", "-1", "Training:ManagedThreads must be 0 (all cores) or positive.")]
    [InlineData("Training:TorchThreads", "-2", "Training:TorchThreads must be 0 (all cores) or positive.")]
    [InlineData("Training:Backend", "auto", "Training:Backend must be managed or torch (or empty to follow each request), not 'auto'.")]
    [InlineData("Training:ForbiddenBackends:0", "auto", "Training:ForbiddenBackends lists 'auto'; the backends are managed and torch.")]
    public void A_value_out_of_range_fails_validation_naming_the_key(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
        Assert.Contains(expected, Assert.Single(error.Failures));
    }

    [Fact]
    public void Keys_that_contradict_each_other_fail_validation_together()
    {
        var forbidden = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Training:Backend"] = "torch", ["Training:ForbiddenBackends:0"] = "torch" }));
        Assert.Contains("Training:Backend forces 'torch', which Training:ForbiddenBackends forbids.", Assert.Single(forbidden.Failures));
        var gpu = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Training:Device"] = "cuda", ["Training:Backend"] = "managed" }));
        Assert.Contains("Training:Device is cuda, but only the torch backend runs on a GPU and this worker does not allow it.", Assert.Single(gpu.Failures));
    }

    /// <summary>The options as the service registers them (binding, data annotations, cross-key rules).</summary>
    private static TrainingOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddNeuralBackends(new ServiceRole(ServesApi: true, RunsJobs: false));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TrainingOptions>>().Value;
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException) yield return e;
    }
}
