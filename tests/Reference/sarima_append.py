"""SARIMA brought up to date without refitting: statsmodels' res.append(new, refit=False).

Run from the repository root with Debian's python (statsmodels 0.13.5, numpy 1.24.2):
    /usr/bin/python3 tests/Reference/sarima_append.py
It writes tests/Reference/Fixtures/sarima_append.json:
- airline: log(AirPassengers) (R's datasets, 1949-1960, committed here), SARIMA(0,1,1)(0,1,1,12) fitted on the
  first 114 months, then 30 months appended with the parameters fixed; the input is in the fixture.
- cta: the chapter's SARIMA(1,0,0)(0,1,1,7) on CTA rail ridership fitted on 2019-01-01..2019-05-31, then the 30 days
  2019-06-01..2019-06-30 appended. The CTA data are never committed: the fixture holds only the answers, and this
  part is written only when ../shared/data/cta_ridership.csv exists.
Each case records the fitted parameters (statsmodels' order: ar, ma, seasonal ar, seasonal ma, sigma2), the forecast
means and variances of the fitted results, and those after append(refit=False).
"""
import csv
import datetime
import json
import math
import os

import numpy as np
import statsmodels
from statsmodels.tsa.statespace.sarimax import SARIMAX

AIR_PASSENGERS = [
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336, 340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
]
APPENDED = 30
HORIZON = 14


def case(series, order, seasonal_order, fitted_length):
    first, new = np.asarray(series[:fitted_length], float), np.asarray(series[fitted_length:fitted_length + APPENDED], float)
    assert len(new) == APPENDED
    res = SARIMAX(first, order=order, seasonal_order=seasonal_order, trend="n").fit(disp=False, maxiter=500)
    appended = res.append(new, refit=False)
    before, after = res.get_forecast(HORIZON), appended.get_forecast(HORIZON)
    return {
        "order": list(order),
        "seasonalOrder": list(seasonal_order),
        "fittedLength": fitted_length,
        "appended": APPENDED,
        "horizon": HORIZON,
        "parameterNames": list(res.model.param_names),
        "parameters": [float(p) for p in res.params],
        "logLikelihood": float(res.llf),
        "fittedMean": [float(x) for x in before.predicted_mean],
        "fittedVariance": [float(x) for x in before.var_pred_mean],
        "appendedMean": [float(x) for x in after.predicted_mean],
        "appendedVariance": [float(x) for x in after.var_pred_mean],
        # append(refit=False) keeps the parameters; checked here so the fixture cannot record a refit.
        "appendedParameters": [float(p) for p in appended.params],
    }


def cta_rail(first, last):
    rows, seen = {}, set()
    with open(CTA, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for fields in reader:
            if not fields or ",".join(fields[:4]) in seen:
                continue
            seen.add(",".join(fields[:4]))
            rows[datetime.datetime.strptime(fields[0], "%m/%d/%Y").date()] = float(fields[3])
    days = (last - first).days + 1
    return [rows[first + datetime.timedelta(days=d)] for d in range(days)]


CTA = os.path.join("..", "shared", "data", "cta_ridership.csv")
OUT = os.path.join("tests", "Reference", "Fixtures", "sarima_append.json")

log_air = [math.log(x) for x in AIR_PASSENGERS]
fixture = {
    "generator": f"tests/Reference/sarima_append.py, statsmodels {statsmodels.__version__}, numpy {np.__version__}",
    "airline": {"series": log_air, **case(log_air, (0, 1, 1), (0, 1, 1, 12), len(log_air) - APPENDED)},
}
if os.path.exists(CTA):
    rail = cta_rail(datetime.date(2019, 1, 1), datetime.date(2019, 6, 30))
    fixture["cta"] = {"first": "2019-01-01", **case(rail, (1, 0, 0), (0, 1, 1, 7), 151)}
else:
    print(f"{CTA} is absent: the CTA case is left out")
with open(OUT, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print(f"wrote {OUT}")
