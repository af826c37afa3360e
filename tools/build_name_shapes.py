"""Build tei_tools/annotate/data/syllables.json, the syllable inventories that name shapes use.

Sources:
  - Chinese: every reading in pypinyin's character dictionary (pinyin-data, about 42,000
    characters), tones dropped: the Hanyu Pinyin syllable inventory; each syllable converted to
    Wade-Giles with pypinyin's own converter, and also written without the aspiration mark and
    with u for ü, as English texts of the period print them ("Chou En-lai", "Hsu").
  - Korean: syllables composed from the Hangul letters (19 initials, 21 vowels, the finals a
    name syllable ends in), each letter spelt as McCune-Reischauer (without its breves and
    apostrophes), as the Revised Romanization, and as the DPRK and the press spell them
    ("Ri", "Pak", "Choe"): the tables of those systems, written out below.
  - Japanese: the Hepburn syllables of the kana table (basic, voiced, contracted) and the
    moraic n.

Run `make shapes` (needs pypinyin, which the package itself does not).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tei_tools.xmlio import write_atomic  # noqa: E402

OUTPUT = ROOT / "tei_tools" / "annotate" / "data" / "syllables.json"

# Hangul letters and their spellings: McCune-Reischauer without diacritics, Revised
# Romanization, and the spellings of the DPRK and of the press of the time.
KOREAN_INITIALS = [
    ("k", "g"), ("kk",), ("n",), ("t", "d"), ("tt",), ("r", "l", "n"), ("m",), ("p", "b"), ("pp",),
    ("s", "sh"), ("ss",), ("",), ("ch", "j"), ("tch", "jj"), ("ch",), ("k",), ("t",), ("p",), ("h",),
]
KOREAN_VOWELS = [
    ("a",), ("ae",), ("ya",), ("yae",), ("o", "eo", "u"), ("e",), ("yo", "yeo"), ("ye",), ("o", "oh"),
    ("wa",), ("wae",), ("oe", "oi", "we"), ("yo",), ("u", "oo"), ("wo",), ("we",), ("wi",), ("yu",),
    ("u", "eu"), ("ui", "eui"), ("i", "ee"),
]
KOREAN_FINALS = [("",), ("k", "g"), ("n",), ("t", "d"), ("l", "r"), ("m",), ("p", "b"), ("ng",)]
# Spellings of whole syllables that the letter tables do not give (DPRK and press usage).
KOREAN_EXTRA = ["ri", "rhee", "lee", "yi", "pak", "park", "choe", "choi", "chwe", "jong", "chung", "jung", "kim", "gim", "o", "oh", "rim", "ryu", "roh", "suh", "shin", "paik", "baek", "hyon", "hyun", "moon", "koo", "ahn"]

HEPBURN = (
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa wo n ga gi gu ge go za ji zu ze zo da de do "
    "ba bi bu be bo pa pi pu pe po kya kyu kyo sha shu sho cha chu cho nya nyu nyo hya hyu hyo "
    "mya myu myo rya ryu ryo gya gyu gyo ja ju jo bya byu byo pya pyu pyo"
).split()


def chinese() -> tuple[list[str], list[str]]:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style.wadegiles import to_wade_glides

    pinyin: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            syllable = to_normal(reading).replace("ü", "v")
            if syllable.isascii() and syllable.isalpha() and len(syllable) <= 6:
                pinyin.add(syllable)
    wade: set[str] = set()
    for syllable in pinyin:
        converted = to_wade_glides(syllable).replace("`", "'")
        for form in {converted, converted.replace("'", "")}:
            wade.update({form.replace("v", "ü"), form.replace("v", "u")})
    readable = {syllable.replace("v", "u") for syllable in pinyin} | {syllable.replace("v", "ü") for syllable in pinyin}
    return sorted(readable), sorted(wade - readable)


def korean() -> list[str]:
    syllables = set(KOREAN_EXTRA)
    for initial in KOREAN_INITIALS:
        for vowel in KOREAN_VOWELS:
            for final in KOREAN_FINALS:
                for i in initial:
                    for v in vowel:
                        for f in final:
                            syllables.add(i + v + f)
    return sorted(syllables)


def main() -> None:
    pinyin, wade = chinese()
    data = {
        "about": "Syllable inventories for name shapes; built by tools/build_name_shapes.py (see its docstring for the sources).",
        "pinyin": pinyin,
        "wade_giles": wade,
        "korean": korean(),
        "japanese": sorted(set(HEPBURN)),
    }
    write_atomic(OUTPUT, (json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n").encode("utf-8"))
    print(f"wrote {OUTPUT.relative_to(ROOT)}: " + ", ".join(f"{key} {len(value)}" for key, value in data.items() if isinstance(value, list)))


if __name__ == "__main__":
    main()
