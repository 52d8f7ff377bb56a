namespace Forecasting.Training.Statistical;

/// <summary>
/// One regressor of a statistical model: a numeric known-future column as it is, or one level of a categorical one as a
/// 0/1 indicator (<see cref="Category"/> is the level's code). <see cref="Name"/> is what the model summary calls it:
/// the column, or <c>column=level</c>.
/// </summary>
public sealed record RegressorColumn(string Column, int? Category, string Name);
