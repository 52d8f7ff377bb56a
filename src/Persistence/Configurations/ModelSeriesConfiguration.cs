using Forecasting.Domain;
using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class ModelSeriesConfiguration : IEntityTypeConfiguration<ModelSeriesEntity>
{
    public void Configure(EntityTypeBuilder<ModelSeriesEntity> builder)
    {
        builder.ToTable("model_series");
        builder.HasKey(s => new { s.ModelId, s.SeriesId, s.Target });
        builder.Property(s => s.SeriesId).HasMaxLength(200);
        builder.Property(s => s.Target).HasMaxLength(200);
        builder.Property(s => s.Status).HasMaxLength(16).HasConversion<WireNameConverter<SeriesStatus>>();
        builder.Property(s => s.Method).HasMaxLength(32);
        builder.Property(s => s.Reason).HasMaxLength(2000);
        builder.HasOne<ModelEntity>().WithMany().HasForeignKey(s => s.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.ModelId, s.Status });
    }
}
