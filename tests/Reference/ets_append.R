# ETS brought up to date without refitting: R's ets(y, model = fit, use.initial.values = TRUE) keeps a fitted model's
# smoothing parameters and initial states and runs its state recursion over a longer series (no estimation).
# USAccDeaths (R's datasets): ets() fitted on the first 42 months (R's automatic choice by AICc), then the 30 later
# months appended. The fixture holds the series, R's chosen model, parameters and initial states, and the point
# forecasts before and after the update.
# Run from the repository root: Rscript tests/Reference/ets_append.R  (written with R 4.x, forecast 8.20)
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })

y <- USAccDeaths
fitted_length <- 42
appended <- 30
horizon <- 12
first <- ts(y[1:fitted_length], frequency = 12, start = start(y))
fit <- ets(first)
updated <- ets(ts(y[1:(fitted_length + appended)], frequency = 12, start = start(y)), model = fit, use.initial.values = TRUE)
stopifnot(all.equal(unname(fit$par), unname(updated$par)))

out <- list(
  generator = paste0("tests/Reference/ets_append.R, forecast ", packageVersion("forecast")),
  series = as.numeric(y), fittedLength = fitted_length, appended = appended, horizon = horizon, season = 12,
  method = fit$method,
  components = list(error = fit$components[1], trend = fit$components[2], season = fit$components[3], damped = as.logical(fit$components[4])),
  alpha = unname(fit$par["alpha"]), beta = if (is.na(fit$par["beta"])) 0 else unname(fit$par["beta"]),
  gamma = if (is.na(fit$par["gamma"])) 0 else unname(fit$par["gamma"]), phi = if (is.na(fit$par["phi"])) 1 else unname(fit$par["phi"]),
  initialStates = unname(fit$initstate), sigma2 = fit$sigma2,
  fittedMean = as.numeric(forecast(fit, h = horizon)$mean),
  updatedMean = as.numeric(forecast(updated, h = horizon)$mean)
)
write_json(out, "tests/Reference/Fixtures/ets_append.json", auto_unbox = TRUE, digits = NA, pretty = TRUE)
cat("wrote tests/Reference/Fixtures/ets_append.json\n")
