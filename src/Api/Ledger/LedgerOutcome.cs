using Forecasting.Persistence.Entities;

namespace Forecasting.Api.Ledger;

/// <summary>What one scoring pass did: how many recorded forecasts it scored, and the drift events it wrote.</summary>
public sealed record LedgerOutcome(int Scored, IReadOnlyList<DriftEventEntity> Events)
{
    public static readonly LedgerOutcome None = new(0, []);
}
