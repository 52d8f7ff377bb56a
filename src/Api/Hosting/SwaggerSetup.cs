using System.Reflection;
using Forecasting.Api.Auth;
using Microsoft.OpenApi;

namespace Forecasting.Api.Hosting;

public static class SwaggerSetup
{
    public static void AddForecastingSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new() { Title = "Forecasting service", Version = "v1",
                Description = "Upload time series, train the models of Hands-On ML chapter 15 in the background, and serve forecasts with intervals. " +
                    "Background jobs: the read-only dashboard at <a href=\"/hangfire\">/hangfire</a> (local requests only)." });
            foreach (var assembly in new[] { Assembly.GetExecutingAssembly(), typeof(Domain.TrainingRunSpec).Assembly })
            {
                var xml = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
                if (File.Exists(xml)) options.IncludeXmlComments(xml);
            }
            options.AddSecurityDefinition(ScopeOperationFilter.SecuritySchemeId, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key (Authorization: Bearer <key> works too). Not needed in open mode.",
            });
            options.OperationFilter<ScopeOperationFilter>();
            options.DocumentFilter<ContractDocumentFilter>();
        });
    }
}
