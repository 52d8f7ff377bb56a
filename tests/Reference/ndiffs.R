# Writes tests/Reference/Fixtures/ndiffs.json: for classic series, R's ndiffs (KPSS, alpha 0.05) with the KPSS
# statistic at each differencing step, nsdiffs (seasonal strength > 0.64) with the strength, and auto.arima's
# choice on the training part (the last 2 seasons, or 10 points when non-seasonal, held out) with its AICc,
# forecasts and the median seconds of 5 runs. Run from the repository root: Rscript tests/Reference/ndiffs.R
suppressMessages({ library(forecast); library(urca); library(jsonlite) })
series <- list(
  AirPassengers = AirPassengers, gas = gas, wineind = wineind, USAccDeaths = USAccDeaths, nottem = nottem,
  co2 = co2, UKgas = UKgas, woolyrnq = woolyrnq, JohnsonJohnson = JohnsonJohnson, lynx = lynx, Nile = Nile,
  LakeHuron = LakeHuron, ldeaths = ldeaths, austres = austres)
kpss <- function(x) urca::ur.kpss(x, type = "mu", use.lag = trunc(3 * sqrt(length(x)) / 13))@teststat
out <- list()
for (name in names(series)) {
  x <- series[[name]]
  m <- frequency(x)
  y <- as.numeric(x)
  stats <- c(kpss(y), kpss(diff(y)), kpss(diff(y, differences = 2)))
  entry <- list(name = name, season = m, values = y, ndiffs = ndiffs(x), kpss = stats)
  if (m > 1) {
    entry$nsdiffs <- nsdiffs(x)
    entry$seasonalStrength <- forecast:::seas.heuristic(x)
  }
  h <- if (m > 1) 2 * m else 10
  train <- subset(x, end = length(x) - h)
  times <- numeric(5)
  for (i in 1:5) times[i] <- system.time(fit <- auto.arima(train))[["elapsed"]]
  a <- fit$arma  # p, q, P, Q, m, d, D
  entry$autoArima <- list(
    holdout = h, order = c(a[1], a[6], a[2]), seasonalOrder = c(a[3], a[7], a[4]),
    constant = any(names(coef(fit)) %in% c("intercept", "drift")), aicc = fit$aicc,
    coefficients = as.list(coef(fit)), forecast = as.numeric(forecast(fit, h = h)$mean),
    seconds = median(times), approximation = (length(train) > 150 | m > 12))
  out[[length(out) + 1]] <- entry
}
fixture <- list(
  generator = sprintf("R %s, forecast %s, urca %s (tests/Reference/ndiffs.R)", getRversion(), packageVersion("forecast"), packageVersion("urca")),
  loadAverage = readLines("/proc/loadavg"), series = out)
write_json(fixture, "tests/Reference/Fixtures/ndiffs.json", auto_unbox = TRUE, digits = NA, pretty = TRUE)
