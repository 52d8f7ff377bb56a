using Forecasting.Api.Auth;
using Forecasting.Training.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Forecasting.Api.ModelKinds;

public static class ModelKindEndpoints
{
    public static RouteGroupBuilder MapModelKinds(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/model-kinds").WithTags("Model kinds");
        group.MapGet("/", List).RequireScope(ApiScope.Read)
            .WithSummary("The model kinds and their traits")
            .WithDescription("Each kind's family (statistical or neural), work queue, strategies (the first is the usual one), stored state format, " +
                "whether it has weight tensors, supports backtest calibration, warm start (resuming from checkpoints), known-future covariates and per-series fits (a fallback and a transform), " +
                "and the model fields it reads: type (integer, number, boolean, integers, choice), default, description, and where they exist " +
                "choices, minimum, maximum and exclusiveMaximum. A training request with any other model field is refused.");
        return group;
    }

    private static Ok<List<ModelKindResponse>> List(ModelKindRegistry kinds) => TypedResults.Ok(kinds.All.Select(ModelKindResponse.From).ToList());
}
