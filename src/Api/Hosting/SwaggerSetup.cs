using System.Reflection;

namespace Forecasting.Api.Hosting;

public static class SwaggerSetup
{
    public static void AddForecastingSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new() { Title = "Forecasting service", Version = "v1",
                Description = "Upload time series, train the models of Hands-On ML chapter 15 in the background, and serve forecasts with intervals." });
            foreach (var assembly in new[] { Assembly.GetExecutingAssembly(), typeof(Domain.TrainingRunSpec).Assembly })
            {
                var xml = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
                if (File.Exists(xml)) options.IncludeXmlComments(xml);
            }
            options.DocumentFilter<ContractDocumentFilter>();
        });
    }
}
