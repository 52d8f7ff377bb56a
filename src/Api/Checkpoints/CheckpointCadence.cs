namespace Forecasting.Api.Checkpoints;

/// <summary>When the next checkpoint is due: <see cref="CheckpointOptions.EverySeconds"/> since the last save (or the start), or <see cref="CheckpointOptions.EveryEpochs"/> steps.</summary>
public sealed class CheckpointCadence(CheckpointOptions options, TimeProvider clock, int startStep)
{
    private DateTimeOffset _last = clock.GetUtcNow();
    private int _lastStep = startStep;

    public bool IsDue(int step) =>
        (options.EveryEpochs > 0 && step - _lastStep >= options.EveryEpochs)
        || (clock.GetUtcNow() - _last).TotalSeconds >= options.EverySeconds;

    public void Saved(int step)
    {
        _last = clock.GetUtcNow();
        _lastStep = step;
    }
}
