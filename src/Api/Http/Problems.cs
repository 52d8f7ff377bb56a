using Forecasting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Forecasting.Api.Http;

/// <summary>Problem-details answers shared by the endpoint groups.</summary>
public static class Problems
{
    /// <summary>400 with an <c>errors</c> map from field (or "line 3, column rail") to messages.</summary>
    public static ValidationProblem Invalid(IEnumerable<FieldError> errors, string title = "The request is invalid")
    {
        var list = errors.ToList();
        var map = list.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return TypedResults.ValidationProblem(map, title: title,
            detail: string.Join(" ", list.Take(5).Select(e => $"{e.Field}: {e.Message}")) + (list.Count > 5 ? $" (and {list.Count - 5} more)" : ""));
    }

    public static ProblemHttpResult NotFound(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"There is no {what.ToLowerInvariant()} with id '{id}'.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
