# Reference values for the mstl kind: R's forecast::mstl() on `taylor` (half-hourly electricity demand,
# seasons 48 and 336), stats::stl() on `nottem` and `co2`, and forecast::stlf(method = "arima") on taylor.
# Run from the repository root: Rscript tests/Reference/mstl.R  (writes tests/Reference/Fixtures/mstl.json)
# Made with R 4.x, forecast 8.20 (Debian r-cran-forecast).
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })

stl_case <- function(x, s.window) {
  fit <- stl(x, s.window = s.window)
  list(series = as.numeric(x), period = frequency(x), sWindow = s.window,
       tWindow = unname(fit$win["t"]), lWindow = unname(fit$win["l"]),
       seasonal = as.numeric(fit$time.series[, "seasonal"]), trend = as.numeric(fit$time.series[, "trend"]))
}

# Additive-error ETS without season on the adjusted series (what method = "ets" offers), and R's default ZZN choice.
ets_case <- function(fit, h) {
  fc <- forecast(fit, h = h, level = 95)
  list(method = fit$method, par = as.list(fit$par), aicc = fit$aicc, sigma2 = fit$sigma2,
       mean = as.numeric(fc$mean), upper95 = as.numeric(fc$upper[, 1]))
}
ets_cases <- function(sa, h) list(
  adjusted = as.numeric(sa),
  additiveOnly = ets_case(ets(sa, model = "ZZN", additive.only = TRUE), h),
  ann = ets_case(ets(sa, model = "ANN"), h),
  aan = ets_case(ets(sa, model = "AAN", damped = FALSE), h),
  aadn = ets_case(ets(sa, model = "AAN", damped = TRUE), h),
  default = ets_case(ets(sa, model = "ZZN"), h))

y <- taylor
decomposition <- mstl(y)
h <- 96
fc <- stlf(y, method = "arima", h = h, level = c(80, 95))
arima <- fc$model
out <- list(
  versions = list(R = R.version.string, forecast = as.character(packageVersion("forecast"))),
  taylor = list(
    series = as.numeric(y), seasons = c(48, 336),
    trend = as.numeric(decomposition[, "Trend"]),
    seasonal48 = as.numeric(decomposition[, "Seasonal48"]),
    seasonal336 = as.numeric(decomposition[, "Seasonal336"]),
    remainder = as.numeric(decomposition[, "Remainder"])),
  stl = list(nottem = stl_case(nottem, 7), co2 = stl_case(co2, 11)),
  stlfArima = list(
    horizon = h,
    order = unname(arimaorder(arima)),
    includeConstant = length(grep("intercept|drift|mean", names(coef(arima)))) > 0,
    coefficients = as.list(coef(arima)),
    sigma2 = arima$sigma2,
    mean = as.numeric(fc$mean),
    lower95 = as.numeric(fc$lower[, "95%"]), upper95 = as.numeric(fc$upper[, "95%"])),
  etsAdjusted = ets_cases(seasadj(decomposition), h)
)
write_json(out, "tests/Reference/Fixtures/mstl.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
