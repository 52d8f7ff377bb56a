"""In-sample one-step forecasts (fitted values) of SARIMA from statsmodels: writes Fixtures/insample.json.

Run from the repository root: /usr/bin/python3 tests/Reference/insample.py (Debian's python3-statsmodels 0.13.5,
numpy 1.24). The series are R's classic monthly and daily data, fitted by statsmodels' default SARIMAX fit; the
fixture holds the input, the estimated parameters, res.fittedvalues (the one-step predictions from the Kalman filter
with the fitted parameters) and their standard errors (the square root of the one-step forecast variance).
"""
import json
import numpy as np
import statsmodels.api as sm

# R's datasets::USAccDeaths (monthly, 1973-1978) and a generated daily series with a weekly pattern.
usaccdeaths = [9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161, 8927,
               7750, 6981, 8038, 8422, 8714, 9512, 10120, 9823, 8743, 9129, 8710, 8680,
               8162, 7306, 8124, 7870, 9387, 9556, 10093, 9620, 8285, 8466, 8160, 8034,
               7717, 7461, 7767, 7925, 8623, 8945, 10078, 9179, 8037, 8488, 7874, 8647,
               7792, 6957, 7726, 8106, 8890, 9299, 10625, 9302, 8314, 8850, 8265, 8796,
               7836, 6892, 7791, 8192, 9115, 9434, 10484, 9827, 9110, 9070, 8633, 9240]
rng = np.random.default_rng(11)
noise = np.zeros(300)
for t in range(1, 300):
    noise[t] = 0.6 * noise[t - 1] + rng.normal(0, 3)
daily = [round(100 + 20 * np.sin(2 * np.pi * t / 7) + 0.05 * t + noise[t], 3) for t in range(300)]

cases = []
for name, values, frequency, start, order, seasonal in [
    ("usaccdeaths", usaccdeaths, "MS", "1973-01-01", (0, 1, 1), (0, 1, 1, 12)),
    ("daily", daily, "D", "2020-01-01", (1, 0, 0), (0, 1, 1, 7)),
]:
    model = sm.tsa.statespace.SARIMAX(np.asarray(values, dtype=float), order=order, seasonal_order=seasonal)
    res = model.fit(disp=False)
    prediction = res.get_prediction()
    cases.append({
        "name": name, "frequency": frequency, "start": start, "order": list(order), "seasonalOrder": list(seasonal),
        "values": values, "params": res.params.tolist(),
        "fitted": res.fittedvalues.tolist(),
        "fittedSe": np.sqrt(prediction.var_pred_mean).tolist(),
    })

with open("tests/Reference/Fixtures/insample.json", "w") as f:
    json.dump({"generator": "statsmodels 0.13.5 SARIMAX, default fit; fittedvalues", "cases": cases}, f, indent=1)
