# Reference values for the `ets` kind: R's forecast::ets() (automatic choice by AICc, R's defaults:
# opt.crit "lik", bounds "both", restrict = TRUE, allow.multiplicative.trend = FALSE) on classic series
# with the end held out (2 seasons, or 10 points for non-seasonal data), its forecasts (mean, 80/95% bounds),
# every admissible candidate's AICc, and a few fixed models.
# Run from the repository root: Rscript tests/Reference/ets.R  (written with R 4.x, forecast 8.20)
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })

series <- list(
  AirPassengers = AirPassengers, UKgas = UKgas, USAccDeaths = USAccDeaths, nottem = nottem,
  co2 = co2, wineind = wineind, Nile = Nile, lynx = lynx, woolyrnq = woolyrnq, gas = gas,
  # Fewer than three seasons of training data: the initial season comes from a Fourier regression, not decompose().
  USAccDeathsShort = ts(USAccDeaths[1:36], frequency = 12, start = 1973),
  UKgasShort = ts(UKgas[1:14], frequency = 4, start = 1960)
)
horizons <- list(USAccDeathsShort = 6, UKgasShort = 4)

components <- function(fit) list(
  error = fit$components[1], trend = fit$components[2], season = fit$components[3],
  damped = as.logical(fit$components[4]))

describe <- function(fit, h) {
  fc <- forecast(fit, h = h, level = c(80, 95))
  par <- as.list(fit$par)
  list(
    method = fit$method, components = components(fit),
    alpha = unname(fit$par["alpha"]), beta = if (is.na(fit$par["beta"])) NULL else unname(fit$par["beta"]),
    gamma = if (is.na(fit$par["gamma"])) NULL else unname(fit$par["gamma"]),
    phi = if (is.na(fit$par["phi"])) NULL else unname(fit$par["phi"]),
    initialStates = unname(fit$initstate), loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc, bic = fit$bic,
    sigma2 = fit$sigma2,
    mean = as.numeric(fc$mean), lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
    lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2]))
}

candidates <- function(y) {
  m <- frequency(y)
  positive <- min(y) > 0
  out <- list()
  for (e in c("A", "M")) for (t in c("N", "A")) for (s in c("N", "A", "M")) for (d in c(TRUE, FALSE)) {
    if (t == "N" && d) next
    if (e == "A" && s == "M") next
    if (!positive && e == "M") next
    if (s != "N" && (m < 2 || m > 24 || length(y) <= m)) next
    # etsmodel() is what ets()'s own loop calls (ets(y, model) would fall back to Holt-Winters on short series).
    fit <- try(forecast:::etsmodel(y, e, t, s, d, lower = c(rep(1e-04, 3), 0.8), upper = c(rep(0.9999, 3), 0.98),
      opt.crit = "lik", nmse = 3, bounds = "both"), silent = TRUE)
    out[[length(out) + 1]] <- list(model = paste0(e, t, if (d) "d" else "", s),
      aicc = if (inherits(fit, "try-error")) NULL else fit$aicc)
  }
  out
}

cases <- list()
for (name in names(series)) {
  y <- series[[name]]
  m <- frequency(y)
  h <- if (!is.null(horizons[[name]])) horizons[[name]] else if (m > 1) 2 * m else 10
  train <- subset(y, end = length(y) - h)
  started <- Sys.time()
  fit <- ets(train)
  seconds <- as.numeric(Sys.time() - started, units = "secs")
  cases[[length(cases) + 1]] <- c(list(name = name, season = m, horizon = h, train = as.numeric(train),
    test = as.numeric(subset(y, start = length(y) - h + 1)), seconds = seconds),
    describe(fit, h), list(candidates = candidates(train)))
}

fixed <- list(
  list(name = "Nile", model = "ANN", damped = FALSE),
  list(name = "AirPassengers", model = "MAM", damped = TRUE),
  list(name = "AirPassengers", model = "MAM", damped = FALSE),
  list(name = "UKgas", model = "AAA", damped = FALSE),
  list(name = "USAccDeaths", model = "ANA", damped = FALSE),
  list(name = "USAccDeaths", model = "MNM", damped = FALSE),
  list(name = "lynx", model = "MAN", damped = TRUE),
  list(name = "co2", model = "AAA", damped = TRUE)
)
fixedCases <- list()
for (f in fixed) {
  y <- series[[f$name]]
  m <- frequency(y)
  h <- if (m > 1) 2 * m else 10
  train <- subset(y, end = length(y) - h)
  fit <- ets(train, model = f$model, damped = f$damped)
  fixedCases[[length(fixedCases) + 1]] <- c(list(name = f$name, model = paste0(substr(f$model, 1, 2), if (f$damped) "d" else "", substr(f$model, 3, 3)),
    season = m, horizon = h, train = as.numeric(train)), describe(fit, h))
}

out <- list(generator = paste("R", getRversion(), "forecast", packageVersion("forecast")), cases = cases, fixed = fixedCases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = FALSE), "tests/Reference/Fixtures/ets.json")
