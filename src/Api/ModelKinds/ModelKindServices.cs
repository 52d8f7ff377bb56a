using Forecasting.Training.Models;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Forecasting.Api.ModelKinds;

public static class ModelKindServices
{
    /// <summary>Offers a model kind: the one line that adds it to the API, the queues, the validation and the dashboard.</summary>
    public static IServiceCollection AddModelKind<TKind>(this IServiceCollection services) where TKind : class, IModelKind
    {
        services.AddSingleton<IModelKind, TKind>();
        services.TryAddSingleton<ModelKindRegistry>();
        return services;
    }
}
