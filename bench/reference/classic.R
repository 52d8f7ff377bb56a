# Twenty classic series (R's datasets and forecast packages): the last two seasons held out (10 points for
# yearly or non-seasonal series), R's auto.arima, ets, thetaf and snaive fitted on the rest. Writes
# bench/reference/classic.json: each series (training and held-out values, season) with R's forecasts,
# 80%/95% bounds, chosen model and seconds (median of 3 fits), so the `catalogue` bench suite compares the
# service against R without R. Run from the repository root: Rscript bench/reference/classic.R
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })

names <- c("AirPassengers", "nottem", "co2", "UKgas", "USAccDeaths", "ldeaths", "UKDriverDeaths", "JohnsonJohnson",
           "austres", "gas", "wineind", "woolyrnq", "lynx", "Nile", "LakeHuron", "WWWusage", "sunspot.year", "nhtemp",
           "airmiles", "BJsales")

timed <- function(f) {
  seconds <- numeric(3)
  for (i in 1:3) { t0 <- proc.time()[["elapsed"]]; fit <- f(); seconds[i] <- proc.time()[["elapsed"]] - t0 }
  list(fit = fit, seconds = median(seconds))
}

describe <- function(fc, seconds, model) list(
  mean = as.numeric(fc$mean), levels = as.numeric(fc$level),
  lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
  lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2]),
  seconds = seconds, model = model)

series <- lapply(names, function(name) {
  y <- get(name)
  m <- frequency(y)
  h <- if (m > 1) 2 * m else 10
  n <- length(y)
  train <- subset(y, end = n - h)
  test <- subset(y, start = n - h + 1)
  arima <- timed(function() auto.arima(train))
  ets_fit <- timed(function() ets(train))
  theta <- timed(function() thetaf(train, h = h, level = c(80, 95)))
  snaive_fc <- snaive(train, h = h, level = c(80, 95))
  message(name, ": ", as.character(arima$fit), "; ", ets_fit$fit$method)
  list(
    name = name, season = m, start = as.numeric(start(y)),
    train = as.numeric(train), test = as.numeric(test),
    r = list(
      auto_arima = describe(forecast(arima$fit, h = h, level = c(80, 95)), arima$seconds, as.character(arima$fit)),
      ets = describe(forecast(ets_fit$fit, h = h, level = c(80, 95)), ets_fit$seconds, ets_fit$fit$method),
      thetaf = describe(theta$fit, theta$seconds, "theta"),
      snaive = describe(snaive_fc, 0, "snaive")))
})

write_json(list(
  made_with = paste("R", getRversion(), "forecast", packageVersion("forecast")),
  load_average = readLines("/proc/loadavg"),
  series = series), "bench/reference/classic.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
