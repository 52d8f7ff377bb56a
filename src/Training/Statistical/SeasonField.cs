using Forecasting.Domain;

namespace Forecasting.Training.Statistical;

/// <summary>
/// The one meaning of <c>model.season</c> across the statistical kinds: the number of steps in a seasonal cycle,
/// 1 for none (0 is read as 1, as auto_sarima once asked for), and the frequency's default when omitted
/// (<see cref="Frequency.SeasonOf"/>).
/// </summary>
public static class SeasonField
{
    public const string Description =
        "The season length in steps; 1 (or 0) means non-seasonal; default from the frequency: one day of minute or hourly data " +
        "(48 for 30min, 24 hourly), 7 daily, 5 business-daily, 52 weekly, 12 monthly, 4 quarterly, 1 yearly and for steps.";

    public static FieldError Negative => new("model.season", "season must not be negative; 1 (or 0) means non-seasonal.");
}
