using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Forecasting.Persistence;

public sealed class ForecastingDbContext(DbContextOptions<ForecastingDbContext> options) : DbContext(options)
{
    public DbSet<DatasetEntity> Datasets => Set<DatasetEntity>();
    public DbSet<SeriesEntity> Series => Set<SeriesEntity>();
    public DbSet<SeriesColumnEntity> SeriesColumns => Set<SeriesColumnEntity>();
    public DbSet<TrainingRunEntity> TrainingRuns => Set<TrainingRunEntity>();
    public DbSet<ModelEntity> Models => Set<ModelEntity>();
    public DbSet<ModelSeriesEntity> ModelSeries => Set<ModelSeriesEntity>();
    public DbSet<BacktestEntity> Backtests => Set<BacktestEntity>();
    public DbSet<ScheduleEntity> Schedules => Set<ScheduleEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();
    public DbSet<CheckpointEntity> Checkpoints => Set<CheckpointEntity>();
    public DbSet<ForecasterEntity> Forecasters => Set<ForecasterEntity>();
    public DbSet<ForecasterChangeEntity> ForecasterChanges => Set<ForecasterChangeEntity>();
    public DbSet<ForecastRecordEntity> ForecastRecords => Set<ForecastRecordEntity>();
    public DbSet<DriftRuleEntity> DriftRules => Set<DriftRuleEntity>();
    public DbSet<DriftEventEntity> DriftEvents => Set<DriftEventEntity>();
    public DbSet<AnomalyFlagEntity> AnomalyFlags => Set<AnomalyFlagEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ForecastingDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset columns; store them as UTC ticks.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
