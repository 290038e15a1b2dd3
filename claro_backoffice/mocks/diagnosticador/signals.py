"""Cable-modem (DOCSIS, HFC) and ONT (GPON, FTTH) measurements.

Values are deterministic for (world seed, modem MAC, virtual hour): the same check in the same hour of the
sandbox's clock reads the same levels; the next hour reads new ones. A profile says which ranges to draw from:
  good        healthy levels, real speed 86-99 % of the provisioned one
  congested   healthy levels, real speed 45-75 % (slow: below SLOW_RATIO)
  noisy       levels out of the healthy ranges (degraded), speed 70-95 %
  degradation what a node incident of severity `degradation` does: poor levels, speed 10-45 %
Healthy ranges (the check's thresholds): downstream power -7..+7 dBmV, downstream SNR >= 33 dB, upstream power
35..50 dBmV; ONT received optical power -8..-25 dBm.
"""

from __future__ import annotations

import datetime as dt
import random

from claro_backoffice.core.timezone import BOGOTA

DS_POWER = (-7.0, 7.0)
DS_SNR_MIN = 33.0
US_POWER = (35.0, 50.0)
OPTICAL_RX = (-25.0, -8.0)
SLOW_RATIO = 0.8

_PROFILES = {
    #              ds power       ds snr        us power      optical rx       speed ratio
    "good": ((-5.0, 5.0), (35.0, 41.5), (38.0, 46.5), (-22.0, -12.0), (0.86, 0.99)),
    "congested": ((-5.0, 5.0), (35.0, 41.5), (38.0, 46.5), (-22.0, -12.0), (0.45, 0.75)),
    "noisy": ((7.6, 9.5), (27.0, 32.5), (50.5, 53.5), (-27.5, -25.6), (0.70, 0.95)),
    "degradation": ((8.5, 12.0), (20.0, 28.0), (52.0, 57.0), (-30.0, -27.0), (0.10, 0.45)),
}


def hour_key(now: dt.datetime) -> str:
    return now.astimezone(BOGOTA).strftime("%Y-%m-%dT%H")


def measure(seed: int, modem: dict, now: dt.datetime, profile: str) -> dict:
    """Levels and real speeds of an online modem; always draws in the same order so values stay stable."""
    ds, snr, us, rx, speed = _PROFILES[profile]
    rng = random.Random(f"{seed}:{modem['mac_address']}:{hour_key(now)}")
    sign = rng.choice((-1, 1)) if profile in ("noisy", "degradation") else 1
    values = {
        "downstream_power_dbmv": round(sign * rng.uniform(*ds), 1),
        "downstream_snr_db": round(rng.uniform(*snr), 1),
        "upstream_power_dbmv": round(rng.uniform(*us), 1),
        "optical_rx_power_dbm": round(rng.uniform(*rx), 1),
        "optical_tx_power_dbm": round(rng.uniform(1.0, 4.5), 1),
    }
    ratio_down, ratio_up = rng.uniform(*speed), rng.uniform(*speed)
    if modem["technology"] == "FTTH":
        for key in ("downstream_power_dbmv", "downstream_snr_db", "upstream_power_dbmv"):
            values[key] = None
    else:
        values["optical_rx_power_dbm"] = values["optical_tx_power_dbm"] = None
    values["real_down_mbps"] = round((modem["provisioned_down_mbps"] or 0) * ratio_down)
    values["real_up_mbps"] = round((modem["provisioned_up_mbps"] or 0) * ratio_up)
    return values


def level_findings(values: dict) -> list[str]:
    """What is out of the healthy ranges, in the words an advisor reads (Spanish)."""
    found = []
    ds, snr, us, rx = (
        values.get(k)
        for k in ("downstream_power_dbmv", "downstream_snr_db", "upstream_power_dbmv", "optical_rx_power_dbm")
    )
    if ds is not None and not DS_POWER[0] <= ds <= DS_POWER[1]:
        found.append(f"Potencia downstream {ds} dBmV fuera del rango -7 a +7 dBmV")
    if snr is not None and snr < DS_SNR_MIN:
        found.append(f"SNR downstream {snr} dB por debajo de 33 dB")
    if us is not None and not US_POWER[0] <= us <= US_POWER[1]:
        found.append(f"Potencia upstream {us} dBmV fuera del rango 35 a 50 dBmV")
    if rx is not None and not OPTICAL_RX[1] >= rx >= OPTICAL_RX[0]:
        found.append(f"Potencia óptica recibida {rx} dBm fuera del rango -8 a -25 dBm")
    return found
