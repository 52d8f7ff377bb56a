"""Reference values for regression with SARIMA errors (model kind `sarima` with knownFuture regressors).

Run with Debian's python (statsmodels 0.13.5):  /usr/bin/python3 tests/Reference/sarimax.py
Writes tests/Reference/Fixtures/sarimax.json: statsmodels' `ARIMA(endog, exog=X, order, seasonal_order, trend).fit()`
estimates, OPG standard errors, log-likelihood, starting values and forecasts with future regressor values; and the
same fitted to convergence (`fit(method_kwargs=CONVERGED)`: scipy's L-BFGS-B run until the projected gradient is
1e-10), the actual maximum-likelihood estimate. statsmodels' default stops (pgtol 1e-5, at most 50 iterations) where
its path happens to be, far from the maximum along the regression coefficients, which it moves in data units.

- Seatbelts (R's datasets, exported here with Rscript): drivers ~ law + PetrolPrice; the INPUT is in the fixture.
- CTA rail 2019-01..05 with day_type one-hot (reference level W dropped); the CTA data is NOT in the fixture
  (only statsmodels' answers): it is read from ../shared/data/cta_ridership.csv or $FORECASTING_CTA_CSV, and the
  CTA cases are left out (with a message) when the file is absent.
"""
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.arima.model import ARIMA

CONVERGED = {"maxiter": 1000, "pgtol": 1e-10, "factr": 10}
HERE = os.path.dirname(os.path.abspath(__file__))


def seatbelts():
    text = subprocess.run(
        ["Rscript", "-e", "write.csv(data.frame(drivers = as.numeric(Seatbelts[, 'drivers']), "
         "law = as.numeric(Seatbelts[, 'law']), PetrolPrice = as.numeric(Seatbelts[, 'PetrolPrice'])), "
         "stdout(), row.names = FALSE)"],
        check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    return {k: [float(r[k]) for r in rows] for k in ("drivers", "law", "PetrolPrice")}


def cta_path():
    path = os.environ.get("FORECASTING_CTA_CSV") or os.path.join(HERE, "..", "..", "..", "shared", "data", "cta_ridership.csv")
    return path if os.path.exists(path) else None


def cta(path):
    seen, rail, day_type = set(), {}, {}
    with open(path) as f:
        reader = csv.reader(f)
        next(reader)
        for fields in reader:
            key = ",".join(fields[:4])  # the chapter drops total_rides, then duplicate rows
            if key in seen:
                continue
            seen.add(key)
            day = dt.datetime.strptime(fields[0], "%m/%d/%Y").date()
            rail[day] = float(fields[3])
            day_type[day] = fields[1]
    return rail, day_type


def opg_standard_errors(model, params):
    """OPG standard errors from statsmodels' own complex-step scores at `params`. result.bse is the same on Seatbelts but
    not on CTA rail, whose sigma2 (about 1e10) gets a standard error of 19.9 there, against 9.2e8 from these scores (the
    asymptotic value sqrt(2/n) sigma2 is 1.1e9)."""
    scores = model.score_obs(params)
    return [float(v) for v in np.sqrt(np.diag(np.linalg.inv(scores.T @ scores)))]


def fit_case(name, y, exog, names, order, seasonal_order, trend, future_exog, horizon, inputs=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ARIMA(np.asarray(y), exog=np.asarray(exog), order=order, seasonal_order=seasonal_order, trend=trend)
        result = model.fit()
        forecast = result.get_forecast(horizon, exog=np.asarray(future_exog))
        converged = model.fit(method_kwargs=dict(CONVERGED))
        converged_forecast = converged.get_forecast(horizon, exog=np.asarray(future_exog))
    case = {
        "name": name,
        "order": list(order),
        "seasonalOrder": list(seasonal_order),
        "includeConstant": trend == "c",
        "regressors": names,
        "parameterNames": list(model.param_names),
        "startParams": [float(v) for v in model.start_params],
        "params": [float(v) for v in result.params],
        "standardErrors": [float(v) for v in result.bse],
        "opgStandardErrors": opg_standard_errors(model, result.params),
        "logLikelihood": float(result.llf),
        "aic": float(result.aic),
        "forecastMean": [float(v) for v in forecast.predicted_mean],
        "forecastVariance": [float(v) for v in forecast.var_pred_mean],
        "converged": {
            "params": [float(v) for v in converged.params],
            "standardErrors": [float(v) for v in converged.bse],
            "opgStandardErrors": opg_standard_errors(model, converged.params),
            "logLikelihood": float(converged.llf),
            "forecastMean": [float(v) for v in converged_forecast.predicted_mean],
            "forecastVariance": [float(v) for v in converged_forecast.var_pred_mean],
        },
    }
    if inputs is not None:
        case["inputs"] = inputs
    print(f"{name}: {dict(zip(model.param_names, np.round(result.params, 6)))} llf {result.llf:.4f}; converged "
          f"{dict(zip(model.param_names, np.round(converged.params, 6)))} llf {converged.llf:.4f}", file=sys.stderr)
    return case


def main():
    cases = []
    sb = seatbelts()
    n, h = 180, 12  # fit 1969-01..1983-12, forecast 1984 with its law and petrol price
    exog = np.column_stack([sb["law"], sb["PetrolPrice"]])
    inputs = {"drivers": sb["drivers"], "law": sb["law"], "PetrolPrice": sb["PetrolPrice"], "trainLength": n}
    cases.append(fit_case("seatbelts_101_110_12", sb["drivers"][:n], exog[:n], ["law", "PetrolPrice"],
                          (1, 0, 1), (1, 1, 0, 12), "n", exog[n:n + h], h, inputs))
    cases.append(fit_case("seatbelts_200_100_12_const", sb["drivers"][:n], exog[:n], ["law", "PetrolPrice"],
                          (2, 0, 0), (1, 0, 0, 12), "c", exog[n:n + h], h, inputs))

    path = cta_path()
    if path is None:
        print("CTA data not found (../shared/data/cta_ridership.csv or $FORECASTING_CTA_CSV): CTA cases left out.", file=sys.stderr)
    else:
        rail, day_type = cta(path)
        days = [dt.date(2019, 1, 1) + dt.timedelta(days=i) for i in range(151 + 14)]
        # One-hot with the most common training level (W, weekdays) dropped: coefficients are departures from a weekday.
        levels = ["A", "U"]
        x = np.array([[1.0 if day_type[d] == lv else 0.0 for lv in levels] for d in days])
        y = [rail[d] for d in days[:151]]
        cases.append(fit_case("cta_rail_day_type_100_011_7", y, x[:151], ["day_type=A", "day_type=U"],
                              (1, 0, 0), (0, 1, 1, 7), "n", x[151:], 14))
    out = {"source": f"statsmodels {statsmodels.__version__} ARIMA(...).fit() (statespace, OPG standard errors)", "cases": cases}
    with open(os.path.join(HERE, "Fixtures", "sarimax.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
