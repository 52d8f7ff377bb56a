using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class SeriesColumnConfiguration : IEntityTypeConfiguration<SeriesColumnEntity>
{
    public void Configure(EntityTypeBuilder<SeriesColumnEntity> builder)
    {
        builder.ToTable("series_columns");
        builder.HasKey(c => new { c.SeriesId, c.Column });
        builder.Property(c => c.Column).HasMaxLength(200);
        builder.Property(c => c.Values).IsRequired();
    }
}
