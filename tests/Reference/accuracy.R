# Reference values for the error metrics (MASE, MAE, bias, MAPE): R's forecast::accuracy() on held-out ends of classic
# series, with ETS forecasts (any forecast will do: the metrics are compared, not the model).
# Run from the repository root: Rscript tests/Reference/accuracy.R  (writes tests/Reference/Fixtures/accuracy.json)
# Generated with R 4.x and forecast 8.20 (Debian r-cran-forecast), jsonlite.
suppressMessages({ library(forecast); library(jsonlite) })

cases <- list(
  list(name = "AirPassengers", x = AirPassengers, horizon = 24),
  list(name = "UKgas",         x = UKgas,         horizon = 8),
  list(name = "USAccDeaths",   x = USAccDeaths,   horizon = 12),
  list(name = "Nile",          x = Nile,          horizon = 10)
)

out <- lapply(cases, function(case) {
  m <- frequency(case$x)
  n <- length(case$x) - case$horizon
  train <- subset(case$x, end = n)
  test <- subset(case$x, start = n + 1)
  fc <- forecast(ets(train), h = case$horizon)
  # accuracy(): error = actual − forecast, so ME is minus our bias; MASE scales by mean(abs(diff(train, lag = m))).
  acc <- accuracy(fc, test)["Test set", ]
  list(name = case$name, season = m, train = as.numeric(train), test = as.numeric(test), forecast = as.numeric(fc$mean),
       mae = unname(acc["MAE"]), me = unname(acc["ME"]), mape = unname(acc["MAPE"]), mase = unname(acc["MASE"]))
})

write_json(out, "tests/Reference/Fixtures/accuracy.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
