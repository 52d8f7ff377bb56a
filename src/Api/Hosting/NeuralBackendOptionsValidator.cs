using Forecasting.Training.Neural.Backends;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Hosting;

/// <summary>Checks the Training section's backend keys at start-up (each failure a sentence naming the key).</summary>
public sealed class NeuralBackendOptionsValidator : IValidateOptions<NeuralBackendOptions>
{
    public ValidateOptionsResult Validate(string? name, NeuralBackendOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
