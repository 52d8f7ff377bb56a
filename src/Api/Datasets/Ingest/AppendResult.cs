using Forecasting.Domain;

namespace Forecasting.Api.Datasets.Ingest;

/// <summary>
/// The outcome of merging appended observations into a dataset: the merged frame to store, how many rows
/// were new and how many repeated stored rows exactly. <see cref="IsConflict"/> marks errors caused by a new
/// value contradicting a stored one (409 at the endpoint); other errors are 400s. Nothing is stored on error.
/// </summary>
public sealed record AppendResult(DatasetFrame? Merged, int Added, int Ignored, IReadOnlyList<FieldError> Errors, bool IsConflict)
{
    public bool Succeeded => Merged is not null && Errors.Count == 0;
}
