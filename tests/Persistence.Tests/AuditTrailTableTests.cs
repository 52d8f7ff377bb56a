using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forecasting.Persistence.Tests;

/// <summary>The audit table is append-only in the database itself: the migration's triggers refuse updates and deletes.</summary>
public sealed class AuditTrailTableTests
{
    [Fact]
    public async Task Audit_rows_can_be_added_but_not_updated_or_deleted()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.Open();
        db.AuditEvents.Add(new AuditEventEntity { At = DateTimeOffset.UtcNow, Actor = "test", Action = "dataset.delete", Resource = "dataset", ResourceId = "x" });
        db.AuditEvents.Add(new AuditEventEntity { At = DateTimeOffset.UtcNow, Actor = "test", Action = "dataset.delete", Resource = "dataset", ResourceId = "y" });
        await db.SaveChangesAsync();
        Assert.Equal([1L, 2L], await db.AuditEvents.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync());

        var update = await Assert.ThrowsAnyAsync<Exception>(() => db.AuditEvents.ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, "someone else")));
        Assert.Contains("append-only", update.ToString());
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => db.AuditEvents.ExecuteDeleteAsync());
        Assert.Contains("append-only", delete.ToString());
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Actor == "test"));
    }
}
