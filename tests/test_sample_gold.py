"""The sample's edition against the hand-made gold annotations in ../shared/gold."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest
from lxml import etree

from tei_tools.xmlio import NSMAP, TEI_NS

from .conftest import GOLD

pytestmark = pytest.mark.skipif(not GOLD.exists(), reason=f"gold annotations not found at {GOLD}")


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def one(tree, path: str) -> etree._Element:
    found = tree.getroot().xpath(path, namespaces=NSMAP)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    return found[0]


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def refs(elements) -> list[str]:
    return [element.get("ref", "")[1:] for element in elements]


def test_title(sample_tree, gold) -> None:
    assert text(one(sample_tree, "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title")) == gold["header"]["title"]


def test_funder_and_translator(sample_tree, gold) -> None:
    assert text(one(sample_tree, "//tei:titleStmt/tei:funder")) == gold["header"]["funder"]
    resp = one(sample_tree, "//tei:titleStmt/tei:respStmt")
    assert text(resp.find("tei:resp", NSMAP)) == "translation"
    assert text(resp.find("tei:persName", NSMAP)) == gold["header"]["translator"]


def test_publication(sample_tree, gold) -> None:
    header = gold["header"]
    assert "History and Public Policy Program" in text(one(sample_tree, "//tei:publicationStmt/tei:publisher"))
    assert text(one(sample_tree, "//tei:publicationStmt/tei:idno[@type='WCDA']")) == header["record_id"]
    assert text(one(sample_tree, "//tei:publicationStmt/tei:idno[@type='URI']")).endswith("/" + header["record_id"])
    assert one(sample_tree, "//tei:publicationStmt/tei:date[@type='uploaded']").get("when") == header["uploaded"]
    licence = text(one(sample_tree, "//tei:publicationStmt/tei:availability/tei:licence"))
    assert header["rights_contact"] in licence and licence.startswith("The History and Public Policy Program welcomes reuse")


def test_source(sample_tree, gold) -> None:
    header = gold["header"]
    assert text(one(sample_tree, "//tei:sourceDesc/tei:bibl[@type='source']")).startswith(header["source_citation"])
    assert text(one(sample_tree, "//tei:msIdentifier/tei:repository")) == header["archive"]
    assert text(one(sample_tree, "//tei:msIdentifier/tei:idno[@type='file']")) == header["archive_file"]
    assert text(one(sample_tree, "//tei:msContents/tei:msItem/tei:locus")) == header["pages"]


def test_dates_and_type(sample_tree, gold) -> None:
    header = gold["header"]
    assert one(sample_tree, "//tei:profileDesc/tei:creation/tei:date").get("when") == header["date"]
    assert one(sample_tree, "//tei:correspAction[@type='sent']/tei:date").get("when") == header["date"]
    catrefs = {ref.get("scheme"): ref.get("target") for ref in sample_tree.getroot().iterfind(".//tei:textClass/tei:catRef", NSMAP)}
    category = one(sample_tree, f"//tei:category[@xml:id='{catrefs['#document-type'][1:]}']")
    assert text(category) == header["document_type"]
    assert text(one(sample_tree, f"//tei:category[@xml:id='{catrefs['#classification'][1:]}']")) == header["classification"]
    assert text(one(sample_tree, f"//tei:category[@xml:id='{catrefs['#precedence'][1:]}']")) == header["urgency"]


def test_opener_fields(sample_tree, gold) -> None:
    header = gold["header"]
    serial = text(one(sample_tree, "//tei:opener/tei:seg[@type='serial']"))
    assert serial.replace("Affairs1964", "Affairs 1964") == header["serial"]
    handling = one(sample_tree, "//tei:opener/tei:seg[@type='handling'][tei:persName]")
    assert refs(handling.iterfind("tei:persName", NSMAP)) == [header["reviewed_by"]]
    addressees = sample_tree.getroot().xpath("//tei:opener/tei:seg[@type='addressee']", namespaces=NSMAP)
    assert refs(addressees[0].iterfind("tei:persName", NSMAP)) == [header["routed_to"]]
    assert refs(addressees[1].iterfind("tei:placeName", NSMAP)) == header["sent_to_embassies_in"]
    cc = one(sample_tree, "//tei:opener/tei:seg[@type='cc']")
    assert refs(cc.iterfind("tei:persName", NSMAP)) == header["copied_ambassadors"]


def test_corresp_desc(sample_tree, gold) -> None:
    header = gold["header"]
    sent = one(sample_tree, "//tei:correspAction[@type='sent']")
    assert refs(sent.iterfind("tei:orgName", NSMAP)) == header["senders"]
    received = one(sample_tree, "//tei:correspAction[@type='received'][not(@subtype)]")
    assert refs(received.iterfind("tei:persName", NSMAP)) == header["addressees"]
    assert refs(received.iterfind("tei:placeName", NSMAP)) == header["sent_to_embassies_in"]
    cc = one(sample_tree, "//tei:correspAction[@type='received'][@subtype='cc']")
    cc_refs = refs(cc)
    for key in header["copied_ambassadors"]:
        assert key in cc_refs
    for element in sample_tree.getroot().iterfind(".//tei:correspDesc//tei:persName", NSMAP):
        assert element.get("ref"), "every name in correspDesc is linked"


def _item_value(item: etree._Element):
    names = [child for child in item if child.tag in (f"{{{TEI_NS}}}persName", f"{{{TEI_NS}}}orgName")]
    measure = item.find("tei:measure", NSMAP)
    if names and names[0].get("ref"):
        key = names[0].get("ref")[1:]
    elif names:
        key = text(names[0])
    else:
        key = text(item)
    if measure is not None:
        return {"recipient": key, "copies": int(measure.get("quantity"))}
    return key


def test_distribution(sample_tree, gold) -> None:
    distribution = gold["distribution"]
    div = one(sample_tree, "//tei:div[@type='distribution']")
    items = div.findall("tei:list[@type='distribution']/tei:item", NSMAP)
    assert [_item_value(item) for item in items] == distribution["copies"]
    total = one(sample_tree, "//tei:div[@type='distribution']//tei:measure[@type='total']")
    assert int(total.get("quantity")) == distribution["total_copies"]
    dates = {date.get("type"): date.get("when") for date in div.iterfind(".//tei:date", NSMAP)}
    assert dates["distributed"].startswith(distribution["distributed"])
    assert dates["copied"].startswith(distribution["copied"])


# --- entities: precision and recall against the gold mentions --------------------------------

TAG_TYPE = {"persName": "person", "placeName": "place", "orgName": "org", "date": "date"}


def predicted_mentions(tree) -> list[dict]:
    body = tree.getroot().find("tei:text", NSMAP)
    found = []
    from tei_tools.export.text import _Renderer

    renderer = _Renderer()
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local == "rs" and element.get("type") == "person":
            kind = "rs-person"
        elif local in TAG_TYPE:
            kind = TAG_TYPE[local]
        else:
            continue
        surface = " ".join(renderer.inline(element).split())
        found.append({"type": kind, "text": surface, "ref": (element.get("ref") or "")[1:] or None, "when": element.get("when")})
    return found


def score(gold_mentions: list[dict], predicted: list[dict]) -> dict:
    """Required mentions matched by (type, text) as multisets; optional ones neither help nor hurt."""
    required = Counter((m["type"], m["text"]) for m in gold_mentions if not m.get("optional"))
    optional = Counter((m["type"], m["text"]) for m in gold_mentions if m.get("optional"))
    predicted_counts = Counter((m["type"], m["text"]) for m in predicted)
    matched_required = sum(min(count, predicted_counts[key]) for key, count in required.items())
    false_positives = 0
    for key, count in predicted_counts.items():
        extra = max(0, count - required[key])
        false_positives += max(0, extra - optional[key])
    return {
        "recall": matched_required / sum(required.values()),
        "precision": (sum(predicted_counts.values()) - false_positives) / sum(predicted_counts.values()),
        "required": sum(required.values()),
        "predicted": sum(predicted_counts.values()),
        "false_positives": false_positives,
    }


def test_entity_precision_and_recall(sample_tree, gold) -> None:
    result = score(gold["mentions"], predicted_mentions(sample_tree))
    print(f"\nentities: recall {result['recall']:.3f}, precision {result['precision']:.3f} "
          f"({result['required']} required, {result['predicted']} tagged, {result['false_positives']} not in gold)")
    assert result["recall"] >= 0.97
    assert result["precision"] >= 0.97


def test_links_equal_gold_keys(sample_tree, gold) -> None:
    """Every linked mention's @ref is a key the gold gives that same (type, text)."""
    gold_refs: dict[tuple[str, str], set] = defaultdict(set)
    for mention in gold["mentions"]:
        gold_refs[(mention["type"], mention["text"])].add(mention.get("ref"))
    linked = [m for m in predicted_mentions(sample_tree) if m["ref"] and m["type"] != "date"]
    assert linked
    wrong = [m for m in linked if (m["type"], m["text"]) in gold_refs and m["ref"] not in gold_refs[(m["type"], m["text"])]]
    assert not wrong, wrong


def test_dates_equal_gold_values(sample_tree, gold) -> None:
    gold_dates = Counter((m["text"], m["when"]) for m in gold["mentions"] if m["type"] == "date")
    predicted = [m for m in predicted_mentions(sample_tree) if m["type"] == "date"]
    assert len(predicted) == sum(gold_dates.values())
    for mention in predicted:
        # seconds or a time zone may follow the gold value
        assert any(mention["text"] == text_ and mention["when"].startswith(when) for text_, when in gold_dates), mention


def test_score_counts_misses_and_extras() -> None:
    """The scorer itself: a missed required mention lowers recall, an unknown tag lowers precision."""
    gold_mentions = [{"type": "person", "text": "A"}, {"type": "place", "text": "B"}, {"type": "org", "text": "C", "optional": True}]
    result = score(gold_mentions, [{"type": "person", "text": "A"}, {"type": "org", "text": "C"}, {"type": "org", "text": "D"}])
    assert result["recall"] == 0.5
    assert result["precision"] == pytest.approx(2 / 3)
