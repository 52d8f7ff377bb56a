using Forecasting.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Forecasting.Persistence.Configurations;

public sealed class SeriesConfiguration : IEntityTypeConfiguration<SeriesEntity>
{
    public void Configure(EntityTypeBuilder<SeriesEntity> builder)
    {
        builder.ToTable("series");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Key).HasMaxLength(200).IsRequired();
        builder.HasIndex(s => new { s.DatasetId, s.Key }).IsUnique();
        builder.HasMany(s => s.Columns).WithOne().HasForeignKey(c => c.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}
