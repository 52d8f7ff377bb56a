using Forecasting.Persistence.Entities;

namespace Forecasting.Persistence.Configurations;

public sealed class BacktestConfiguration() : JobRecordConfiguration<BacktestEntity>("backtests");
