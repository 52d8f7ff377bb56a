using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class ForecasterChangeConfiguration : IEntityTypeConfiguration<ForecasterChangeEntity>
{
    public void Configure(EntityTypeBuilder<ForecasterChangeEntity> builder)
    {
        builder.ToTable("forecaster_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.Action).HasMaxLength(16).HasConversion<WireNameConverter<ForecasterChangeAction>>();
        builder.Property(c => c.Reason).HasMaxLength(2000).IsRequired();
        builder.HasOne<ForecasterEntity>().WithMany().HasForeignKey(c => c.ForecasterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.ForecasterId);
    }
}
