# Reference values for the `theta` kind: R's forecast::thetaf() on classic series with the end held out.
# Run from the repository root: Rscript tests/Reference/theta.R  (writes tests/Reference/Fixtures/theta.json)
# Generated with R 4.x and forecast 8.20 (Debian r-cran-forecast), jsonlite.
suppressMessages({ library(forecast); library(jsonlite) })

# Each case: the series, the season (the ts frequency thetaf sees) and the held-out steps.
cases <- list(
  list(name = "AirPassengers", x = AirPassengers, season = 12, horizon = 24),
  list(name = "UKgas",         x = UKgas,         season = 4,  horizon = 8),
  list(name = "USAccDeaths",   x = USAccDeaths,   season = 12, horizon = 24),
  list(name = "nottem",        x = nottem,        season = 12, horizon = 24),
  list(name = "co2",           x = co2,           season = 12, horizon = 24),
  list(name = "Nile",          x = Nile,          season = 1,  horizon = 10),
  # Nile as if stored daily (season 7): the seasonality test rejects the season.
  list(name = "Nile season 7", x = Nile,          season = 7,  horizon = 14),
  list(name = "lynx",          x = lynx,          season = 1,  horizon = 10),
  list(name = "WWWusage",      x = WWWusage,      season = 1,  horizon = 10)
)

out <- lapply(cases, function(case) {
  values <- as.numeric(case$x)
  n <- length(values) - case$horizon
  y <- ts(values[1:n], frequency = case$season)
  m <- case$season
  fc <- thetaf(y, h = case$horizon, level = c(80, 95))

  # thetaf's internals, recomputed as its source does, for the facts it does not return.
  statistic <- NA
  seasonal <- FALSE
  if (m > 1 && !is.constant(y) && n > 2 * m) {
    r <- as.numeric(acf(y, lag.max = m, plot = FALSE)$acf)[-1]
    statistic <- abs(r[m]) / sqrt((1 + 2 * sum(r[-m]^2)) / n)
    seasonal <- statistic > qnorm(0.95)
  }
  x <- y
  indices <- rep(1, m)
  if (seasonal) {
    decomp <- decompose(y, type = "multiplicative")
    indices <- as.numeric(decomp$figure)
    x <- seasadj(decomp)
  }
  fit <- ses(x, h = case$horizon)$model
  stopifnot(abs(fit$par["alpha"] - fc$model$alpha) < 1e-12)

  list(
    name = case$name, season = m, horizon = case$horizon, train = values[1:n],
    actual = values[(n + 1):length(values)],
    seasonal = seasonal, statistic = statistic, seasonalIndices = indices,
    alpha = unname(fc$model$alpha), level0 = unname(fit$par["l"]), drift = unname(fc$model$drift),
    sigma2 = unname(fc$model$sigma),
    mean = as.numeric(fc$mean),
    lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
    lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2])
  )
})

doc <- list(
  generator = sprintf("tests/Reference/theta.R: %s, forecast %s", R.version.string, packageVersion("forecast")),
  cases = out
)
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "tests/Reference/Fixtures/theta.json")
