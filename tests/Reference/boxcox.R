# Reference values for request `transform` (Box-Cox): R's BoxCox.lambda(x, method = "guerrero", lower = -1, upper = 2)
# on classic series' training periods (the end held out: 2 seasons, or 10 points for non-seasonal data), and
# forecast(Arima(train, order, seasonal, lambda), h, biasadj = FALSE / TRUE): means and 80/95% bounds on the original
# scale, and the model's transformed-scale means and standard errors (predict()), so the back-transform can be checked
# on its own. Also a fixed lambda (0.3 and 0, the log) for AirPassengers.
# Run from the repository root: Rscript tests/Reference/boxcox.R  (written with R 4.x, forecast 8.20)
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })

cases <- list(
  list(name = "AirPassengers", y = AirPassengers, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = "auto"),
  list(name = "AirPassengersFixed", y = AirPassengers, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = 0.3),
  list(name = "AirPassengersLog", y = AirPassengers, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = 0),
  list(name = "gas", y = gas, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = "auto"),
  list(name = "wineind", y = wineind, order = c(1, 1, 1), seasonal = c(0, 1, 1), lambda = "auto"),
  list(name = "UKgas", y = UKgas, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = "auto"),
  list(name = "co2", y = co2, order = c(1, 1, 1), seasonal = c(0, 1, 1), lambda = "auto"),
  list(name = "Nile", y = Nile, order = c(1, 1, 1), seasonal = c(0, 0, 0), lambda = "auto")
)

out <- list()
for (case in cases) {
  y <- case$y
  m <- frequency(y)
  h <- if (m > 1) 2 * m else 10
  train <- subset(y, end = length(y) - h)
  test <- subset(y, start = length(y) - h + 1)
  lambda <- if (identical(case$lambda, "auto")) BoxCox.lambda(train, method = "guerrero", lower = -1, upper = 2) else case$lambda
  fit <- Arima(train, order = case$order, seasonal = case$seasonal, lambda = lambda, method = "ML")
  transformed <- predict(fit, n.ahead = h)
  plain <- forecast(fit, h = h, level = c(80, 95), biasadj = FALSE)
  adjusted <- forecast(fit, h = h, level = c(80, 95), biasadj = TRUE)
  out[[length(out) + 1]] <- list(
    name = case$name, frequency = m, order = case$order, seasonalOrder = c(case$seasonal, m),
    auto = identical(case$lambda, "auto"), lambda = lambda, train = as.numeric(train), test = as.numeric(test),
    coef = as.list(coef(fit)), sigma2 = fit$sigma2,
    transformedMean = as.numeric(transformed$pred), transformedSe = as.numeric(transformed$se),
    mean = as.numeric(plain$mean), adjustedMean = as.numeric(adjusted$mean),
    lower80 = as.numeric(plain$lower[, 1]), upper80 = as.numeric(plain$upper[, 1]),
    lower95 = as.numeric(plain$lower[, 2]), upper95 = as.numeric(plain$upper[, 2]))
}

write(toJSON(list(source = paste("R", getRversion(), "forecast", packageVersion("forecast")), cases = out),
  auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/Reference/Fixtures/boxcox.json")
