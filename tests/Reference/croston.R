# Croston's method (classic and SBA) from R's forecast package: writes Fixtures/croston.json.
# Run from the repository root: Rscript tests/Reference/croston.R
# forecast 8.20 has no croston(type = "sba"); SBA is the classic forecast times 1 - alpha/2 (Syntetos & Boylan 2005),
# which later versions of forecast compute the same way.
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })

set.seed(17)
series <- list(
  # A classic count series with a few zeros: discoveries per year, 1860-1959.
  discoveries = as.numeric(datasets::discoveries),
  # Intermittent demand: Bernoulli occurrence times Poisson sizes (zero sizes allowed, so the occurrence is not seen directly).
  poisson_p30 = rbinom(60, 1, 0.3) * rpois(60, 4),
  poisson_p15 = rbinom(120, 1, 0.15) * (1 + rpois(120, 6)),
  # Lumpy demand: rare large orders.
  lumpy = rbinom(80, 1, 0.1) * round(rexp(80, 1 / 40)),
  # Leading and trailing zeros, two demands only.
  two_demands = c(0, 0, 0, 5, 0, 0, 0, 0, 2, 0, 0, 0),
  # Non-integer sizes.
  fractional = rbinom(48, 1, 0.4) * round(rgamma(48, 2, 0.5), 3)
)

h <- 12
cases <- list()
for (name in names(series)) {
  y <- series[[name]]
  for (alpha in c(0.1, 0.3)) {
    fit <- croston(ts(y), h = h, alpha = alpha)
    fitted <- as.numeric(fit$fitted)
    residuals <- y - fitted
    cases[[length(cases) + 1]] <- list(
      name = name,
      values = y,
      alpha = alpha,
      horizon = h,
      classic = as.numeric(fit$mean),
      sba = as.numeric(fit$mean) * (1 - alpha / 2),
      # R's fitted values: the one-step forecast of y[t] from y[1..t-1] (NA at t = 1).
      fitted = fitted,
      mse = mean(residuals^2, na.rm = TRUE)
    )
  }
}

fixture <- list(
  source = sprintf("R %s, forecast %s: croston(ts(y), h, alpha)", paste(R.version$major, R.version$minor, sep = "."), packageVersion("forecast")),
  cases = cases
)
write_json(fixture, "tests/Reference/Fixtures/croston.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
