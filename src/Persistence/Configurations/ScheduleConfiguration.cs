using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class ScheduleConfiguration : IEntityTypeConfiguration<ScheduleEntity>
{
    public void Configure(EntityTypeBuilder<ScheduleEntity> builder)
    {
        builder.ToTable("schedules");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Cron).HasMaxLength(200).IsRequired();
        builder.Property(s => s.TimeZone).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Promote).HasMaxLength(16).HasConversion<WireNameConverter<PromotePolicy>>();
        builder.Property(s => s.SpecJson).IsRequired();
        builder.HasIndex(s => s.CreatedAt);
        builder.HasIndex(s => s.DatasetId);
    }
}
