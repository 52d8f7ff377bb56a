using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// The outcome of reading an upload: the frame when the input was accepted, how many exact duplicate
/// rows were dropped, and the problems found (400 at the endpoint; nothing is stored when there are any).
/// </summary>
public sealed record IngestResult(DatasetFrame? Frame, int DuplicatesDropped, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Frame is not null && Errors.Count == 0;

    public static IngestResult Failed(IReadOnlyList<FieldError> errors) => new(null, 0, errors);

    public static IngestResult Failed(string field, string message) => new(null, 0, [new FieldError(field, message)]);
}
