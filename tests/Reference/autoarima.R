# Writes tests/Reference/Fixtures/autoarima.json: auto.arima's approximate search on long seasonal series (the
# training part: the last 2 seasons held out). For each series, R's stepwise walk in order (from trace = TRUE): every
# model it compared with its approximate AICc (myarima with method "CSS" and auto.arima's offset, recomputed at full
# precision), the offset itself, the models it then refitted by exact likelihood in order and whether each was
# accepted, and the model chosen. Run from the repository root: Rscript tests/Reference/autoarima.R
suppressMessages({ library(forecast); library(jsonlite) })
series <- list(gas = gas, wineind = wineind, nottem = nottem, co2 = co2)
pattern <- "^ *ARIMA\\((\\d+),(\\d+),(\\d+)\\)(\\((\\d+),(\\d+),(\\d+)\\)\\[(\\d+)\\])? *(with drift|with non-zero mean|with zero mean)? *: *(\\S+)$"
parse <- function(lines) {
  hits <- regmatches(lines, regexec(pattern, lines))
  lapply(Filter(function(h) length(h) > 0, hits), function(h) list(
    order = as.integer(h[2:4]), seasonalOrder = as.integer(c(h[6], h[7], h[8])),
    constant = h[10] %in% c("with drift", "with non-zero mean"), ic = as.numeric(h[11])))
}
out <- list()
for (name in names(series)) {
  x <- series[[name]]
  m <- frequency(x)
  train <- subset(x, end = length(x) - 2 * m)
  trace <- capture.output(fit <- auto.arima(train, trace = TRUE))
  split <- grep("re-fitting", trace)
  compared <- parse(trace[seq_len(split - 1)])
  refitted <- parse(trace[(split + 1):length(trace)])
  a <- fit$arma  # p, q, P, Q, m, d, D
  d <- a[6]; D <- a[7]
  fit0 <- stats::arima(train, order = c(0, d, 0), seasonal = list(order = c(0, D, 0), period = m))
  offset <- -2 * fit0$loglik - length(train) * log(fit0$sigma2)
  compared <- lapply(compared, function(c) {
    f <- forecast:::myarima(train, order = c$order, seasonal = c$seasonalOrder, constant = c$constant, ic = "aicc",
                            approximation = TRUE, offset = offset)
    c$aicc <- f$ic
    c$ic <- NULL
    c
  })
  refitted <- lapply(refitted, function(c) list(order = c$order, seasonalOrder = c$seasonalOrder, constant = c$constant,
                                                accepted = is.finite(c$ic)))
  out[[length(out) + 1]] <- list(
    name = name, season = m, values = as.numeric(train), offset = offset, compared = compared, refitted = refitted,
    chosen = list(order = c(a[1], d, a[2]), seasonalOrder = c(a[3], D, a[4]),
                  constant = any(names(coef(fit)) %in% c("intercept", "drift")), aicc = fit$aicc))
}
fixture <- list(
  generator = sprintf("R %s, forecast %s (tests/Reference/autoarima.R)", getRversion(), packageVersion("forecast")),
  series = out)
write_json(fixture, "tests/Reference/Fixtures/autoarima.json", auto_unbox = TRUE, digits = NA, pretty = TRUE)
