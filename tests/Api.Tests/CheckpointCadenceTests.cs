using Forecasting.Api.Checkpoints;
using Forecasting.Api.Hosting;
using Forecasting.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Tests;

/// <summary>When checkpoints are due, and that a bad cadence stops the host at start.</summary>
public sealed class CheckpointCadenceTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_checkpoint_is_due_after_the_interval_or_the_epoch_count_since_the_last_one()
    {
        var clock = new ManualClock();
        var cadence = new CheckpointCadence(new CheckpointOptions { EverySeconds = 10, EveryEpochs = 3 }, clock, startStep: 4);
        clock.Now += TimeSpan.FromSeconds(9);
        Assert.False(cadence.IsDue(5));
        Assert.True(cadence.IsDue(7)); // three epochs since the resumed-from epoch 4
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.True(cadence.IsDue(5)); // ten seconds since the attempt began
        cadence.Saved(5);
        clock.Now += TimeSpan.FromSeconds(9.9);
        Assert.False(cadence.IsDue(6));
        clock.Now += TimeSpan.FromSeconds(0.1);
        Assert.True(cadence.IsDue(6));
    }

    [Fact]
    public void Zero_seconds_saves_after_every_epoch() =>
        Assert.True(new CheckpointCadence(new CheckpointOptions { EverySeconds = 0 }, new ManualClock(), 0).IsDue(1));

    [Theory]
    [InlineData("Checkpoints:EverySeconds", "-1", "must be between 0 and 604800; it is -1.")]
    [InlineData("Checkpoints:EveryEpochs", "-2", "must be at least 0; it is -2.")]
    public void A_bad_cadence_fails_at_start_naming_the_setting(string key, string value, string range)
    {
        using var factory = ApiFactory.With(new() { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        Assert.Equal($"Configuration error: {key} {range}", ConfigurationErrors.Describe(error, configuration));
    }
}
