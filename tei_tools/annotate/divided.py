"""Which state the bare name of a divided country (Korea, Vietnam, Germany, China) means, by the
document's date and the side it comes from; no answer when the text cannot settle it."""

from __future__ import annotations

# Register keys of the countries whose documents say "Korea" for the DPRK, "Vietnam" for the
# DRV and "China" for the PRC: the socialist states of the period.
SOCIALIST = frozenset({
    "china-prc", "soviet-union", "east-germany", "poland", "hungary", "romania", "bulgaria",
    "czechoslovakia", "albania", "mongolia", "north-korea", "vietnam-drv", "cuba", "yugoslavia", "laos",
})


def resolve_divided(name: str, date: str | None, country: str | None) -> str | None:
    """None: not a divided country's bare name. '': one, but the document does not settle
    which state. Else the register key."""
    bare = " ".join(name.split()).casefold()
    day = (date or "")[:10]
    if bare == "korea":
        if country in SOCIALIST:
            return "north-korea" if not day or day >= "1948-09-09" else ""
        if country == "south-korea":
            return "south-korea"
        return ""
    if bare in ("vietnam", "viet nam", "viet-nam"):
        if day and day >= "1976-07-02":
            return "vietnam"
        if country in SOCIALIST and (not day or day >= "1945-09-02"):
            return "vietnam-drv"
        if country == "vietnam-rvn":
            return "vietnam-rvn"
        return ""
    if bare == "germany":
        return "germany" if day and day >= "1990-10-03" else ""
    if bare == "china":
        if country == "taiwan":
            return ""
        return "china-prc" if not day or day >= "1949-10-01" else ""
    return None
