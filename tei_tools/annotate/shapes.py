"""Whether words have the shape of a person's name in a transliteration: Chinese, Korean,
Vietnamese, Japanese and Russian names, from syllable inventories and surname lists."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# The commonest surnames (after the Ministry of Public Security's and the 2020 census's
# rankings), in pinyin and in Wade-Giles and the other spellings of the period's English texts.
CHINESE_SURNAMES = frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo lin luo gao zheng liang xie
    song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding
    ren shen yao fu zhong cui tan lu fan jin shi liao jia xia fang zou xiong bai meng qin qiu hou jiang
    yin xue yan duan lei long li shao qian kang qiao ji ke mao geng bo nie rao wan gu hao kong lai mo
    zhan chai nie ulan ye dai tao huo yue zhuo qi xi tong hua
    chou chang teng ch'en chen huang chao chu hsu hsueh yeh p'eng peng kao ho hsieh tsao ts'ao chiang
    lo kuo sung soong t'ang tang ts'ai tsai tung hsia liao k'ang kang ch'iao chiao chi mao keng po
    nieh jao yen tuan lei lung shao ch'ien chien hsiung pai meng ch'in chin ch'iu chiu hou yin jen
    shen yao fu chung ts'ui tsui t'an tan fan hsi t'ien tien wei su lu ting tai t'ao tao lin ku k'ung""".split()
)
KOREAN_SURNAMES = frozenset(
    """kim gim ri li lee yi rhee pak park bak choe choi chwe jong chong jeong chung jung kang gang cho jo
    yun yoon jang chang han o oh hwang ho heo hur kwon gwon nam ryu yu yoo song hong ko go mun moon son
    yang paek baek paik no roh ha chon jeon chun sin shin an ahn im lim rim chu ju so seo suh won kil gil
    pyon um eom cha ku koo min hyon hyun ryom""".split()
)
VIETNAMESE_SURNAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh mai ton lam
    luong trinh doan vuong van cao chu ha ta""".split()
)
# Endings of Russian, Ukrainian and Belarusian surnames in English transliteration.
_RUSSIAN = re.compile(r"(?:[bcdfghjklmnpqrstvwxz]ov|[aeiouy]?[bcdfghjklmnprstvz]?y?ev|yov|ova|eva|enko|chuk|[ksz]ky|[ksz]kiy|[ksz]kii|skaya|[kltnmrdzbpg]in|[kltnmrdzbpg]ina|shin|chin|zhin|vich|orny|erny|orniy|skoy|stoy)$")
_VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|tr|th|ph|kh|gh|gi|qu|[bcdghklmnprstvx])?"
    r"(?:uye|uya|ieu|yeu|uoi|uou|oai|oay|oeo|uay|uao|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|a|e|i|o|u|y)"
    r"(?:ch|nh|ng|c|m|n|p|t)?"
)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents, apostrophes kept: 'Ch’iao' -> "ch'iao"."""
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'").replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _inventories() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("tei_tools.annotate").joinpath("data/syllables.json").read_text(encoding="utf-8"))
    chinese = frozenset(data["pinyin"]) | frozenset(data["wade_giles"])
    return {"chinese": chinese, "pinyin": frozenset(data["pinyin"]), "korean": frozenset(data["korean"]), "japanese": frozenset(data["japanese"])}


@lru_cache(maxsize=16384)
def syllables(word: str, inventory: str, most: int = 3) -> int | None:
    """How few syllables of `inventory` spell `word` (a run of letters), if at most `most`."""
    word = fold(word)
    known = _inventories()[inventory]
    if not word or len(word) > 7 * most:
        return None
    best: list[int | None] = [0] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 7), end):
            if best[start] is not None and word[start:end] in known:
                count = best[start] + 1  # type: ignore[operator]
                if best[end] is None or count < best[end]:  # type: ignore[operator]
                    best[end] = count
    result = best[-1]
    return result if result is not None and result <= most else None


def _parts(word: str) -> list[str]:
    return [part for part in word.split("-") if part]


def chinese_given(word: str) -> bool:
    """'Enlai', 'En-lai', "Ch'iao-mu", 'Xiaoping': one or two Chinese syllables."""
    parts = _parts(word)
    if len(parts) == 2:
        return all(syllables(part, "chinese", 1) for part in parts)
    if len(parts) == 1:
        count = syllables(parts[0], "pinyin", 2)
        return count is not None or syllables(parts[0], "chinese", 1) is not None
    return False


def korean_given(word: str) -> bool:
    """'Jong-ok', 'Hui-gyong', 'Il': one or two Korean syllables, two of them hyphenated."""
    parts = _parts(word)
    if len(parts) == 2:
        return all(syllables(part, "korean", 1) for part in parts)
    return len(parts) == 1 and len(parts[0]) <= 4 and syllables(parts[0], "korean", 1) is not None


def vietnamese_syllable(word: str) -> bool:
    return bool(_VIETNAMESE_SYLLABLE.fullmatch(fold(word)))


_GEMINATE = re.compile(r"([kgsztdnhbpmr])\1")


@lru_cache(maxsize=16384)
def japanese_word(word: str) -> int | None:
    """Syllables of a word in Hepburn romanization (long vowels folded), or None."""
    folded = fold(word).replace("-", "")
    folded = _GEMINATE.sub(r"\1", folded)  # geminate consonants: "Hattori"
    return syllables(folded, "japanese", 8)


def south_slavic_surname(word: str) -> bool:
    """'Ranković', 'Vidić', 'Popovic': the patronymic endings of Serbian, Croatian and Slovene names."""
    return len(word) >= 5 and word[0].isupper() and bool(_SOUTH_SLAVIC.search(word))


_SOUTH_SLAVIC = re.compile(r"(?:ić|vic|vić|ič)$")


@lru_cache(maxsize=16384)
def russian_surname(word: str) -> bool:
    folded = fold(word)
    return len(folded) >= 5 and folded.isalpha() and bool(_RUSSIAN.search(folded))


def east_asian_name(words: list[str]) -> str | None:
    """Which tradition a run of capitalised words spells as surname + given name, if any."""
    if not 2 <= len(words) <= 3:
        return None
    return _east_asian_name(tuple(words))


@lru_cache(maxsize=65536)
def _east_asian_name(words: tuple[str, ...]) -> str | None:
    # Asked of every run of two or three capitalised words, again and again for the same ones.
    surname, given = fold(words[0]), words[1:]
    if surname in CHINESE_SURNAMES and len(given) == 1 and chinese_given(given[0]):
        return "chinese"
    if surname in KOREAN_SURNAMES and (
        (len(given) == 1 and korean_given(given[0])) or (len(given) == 2 and all(korean_given(g) and "-" not in g for g in given))
    ):
        return "korean"
    if surname in VIETNAMESE_SURNAMES and all(vietnamese_syllable(g) for g in given):
        return "vietnamese"
    if len(words) == 2:
        first, second = japanese_word(words[0]), japanese_word(words[1])
        if first and second and first >= 2 and second >= 2 and first + second >= 5:
            return "japanese"
    return None
