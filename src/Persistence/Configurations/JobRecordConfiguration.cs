using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

/// <summary>The columns and indexes every job table shares (<see cref="JobRecord"/>); each job type adds its own.</summary>
public abstract class JobRecordConfiguration<TRecord>(string table) : IEntityTypeConfiguration<TRecord> where TRecord : JobRecord
{
    public void Configure(EntityTypeBuilder<TRecord> builder)
    {
        builder.ToTable(table);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Status).HasMaxLength(16).HasConversion<WireNameConverter<JobStatus>>();
        builder.Property(r => r.Kind).HasMaxLength(64);
        builder.Property(r => r.Queue).HasMaxLength(32).HasConversion<WireNameConverter<WorkQueue>>();
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.DatasetId);
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => r.CreatedByKeyId);
        ConfigureOwn(builder);
    }

    /// <summary>The job type's own columns and indexes.</summary>
    protected virtual void ConfigureOwn(EntityTypeBuilder<TRecord> builder) { }
}
