"""Which country a document comes from, read off its archive reference."""

from __future__ import annotations

import re

# Archive sigla as the Digital Archive cites them -> register key of the country whose
# bodies wrote the documents kept there. Descriptive names ("Foreign Ministry") resolve
# only to bodies of that country.
ARCHIVE_COUNTRY: list[tuple[str, str]] = [
    (r"\bPRC FMA\b|Foreign Ministry Archive of the People's Republic of China|\bCCP\b.*\bArchive|Chinese Foreign Ministry Archive", "china-prc"),
    (r"\bAVP ?RF\b|\bRGANI\b|\bRGASPI\b|\bGARF\b|\bTsAMO\b|\bAPRF\b|\bRGAE\b|Archive of Foreign Policy of the Russian Federation", "soviet-union"),
    (r"\bSAPMO\b|\bBStU\b|\bPA AA\b.*\bMfAA\b|\bMfAA\b", "east-germany"),
    (r"\bAMVnR\b|\bTsDA\b|Central State Archive, Sofia", "bulgaria"),
    (r"\bAAN\b|\bAMSZ\b|\bAIPN\b", "poland"),
    (r"\bMOL\b|\bMNL OL\b|Hungarian National Archives", "hungary"),
    (r"\bANIC\b|\bAMAE\b.*Romania|Romanian", "romania"),
    (r"\bAQSh\b|\bAMPJ\b|Albanian", "albania"),
    (r"\bNA ČR\b|\bNA CR\b|\bAMZV\b|\bSÚA\b", "czechoslovakia"),
]
_COMPILED = [(re.compile(pattern), key) for pattern, key in ARCHIVE_COUNTRY]


def provenance(*references: str | None) -> str | None:
    """Register key of the country of origin, or None when the reference does not say."""
    for reference in references:
        if not reference:
            continue
        for pattern, key in _COMPILED:
            if pattern.search(reference):
                return key
    return None
