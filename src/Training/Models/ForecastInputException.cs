using Forecasting.Domain;

namespace Forecasting.Training.Models;

/// <summary>A forecast request the model cannot answer (too little history, missing covariates …): a client error.</summary>
public sealed class ForecastInputException(string message) : UserInputException(message);
