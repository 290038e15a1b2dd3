"""The procedure's five indicators (section 5) as a coordinator reads them: a Spanish definition (the gateway's own,
in English, is shown beside it for the exact rule), and figures written the Colombian way (`5,98 %`, `+12,5`)."""

from __future__ import annotations

ORDER = ("PUNTUALIDAD", "NPS", "FCR", "AUSENTISMO", "ROTACIÓN")

DEFINITIONS = {
    "PUNTUALIDAD": "Conversaciones cuyo primer mensaje del asesor (la bienvenida) salió antes de 10 minutos desde que "
    "el cliente pidió un asesor ÷ conversaciones que pidieron asesor en la ventana. Las abandonadas y las que siguen "
    "en cola pasados 10 minutos cuentan como no puntuales.",
    "NPS": "% de promotores (9–10) − % de detractores (0–6) sobre las encuestas respondidas en la ventana "
    "(en puntos, de −100 a 100).",
    "FCR": "Casos tipificados en la ventana como resueltos en el primer contacto y sin un caso repetido del mismo "
    "cliente con el mismo código en los días siguientes ÷ casos tipificados en la ventana.",
    "AUSENTISMO": "Turnos de asesores con ausencia ÷ turnos de asesores programados en la ventana (Almabi); "
    "la llegada tarde cuenta como presente.",
    "ROTACIÓN": "Retiros de asesores en la ventana ÷ asesores activos el primer día de la ventana (Almabi).",
}

NUMERATOR = {
    "PUNTUALIDAD": "a tiempo",
    "NPS": "promotores − detractores",
    "FCR": "resueltos al primer contacto",
    "AUSENTISMO": "turnos con ausencia",
    "ROTACIÓN": "retiros",
}
DENOMINATOR = {
    "PUNTUALIDAD": "conversaciones",
    "NPS": "encuestas respondidas",
    "FCR": "casos tipificados",
    "AUSENTISMO": "turnos programados",
    "ROTACIÓN": "asesores activos al inicio",
}


def number(value: float | int | None, decimals: int = 2) -> str:
    """es-CO: dots between thousands, a comma before decimals, trailing zeros dropped: 1234.5 -> '1.234,5'."""
    if value is None:
        return "—"
    text = f"{abs(value):,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{abs(value):,.0f}"
    text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"−{text}" if value < 0 else text


def figure(indicator: str, value: float | int | None) -> str:
    """An indicator's value as written on the screen: '5,98 %' (a percentage) or '+12,5' / '−20' (NPS points)."""
    if value is None:
        return "—"
    if indicator == "NPS":
        return f"+{number(value)}" if value > 0 else number(value)
    return f"{number(value)} %"
