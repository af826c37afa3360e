"""Distribution lists: copy counts are whole numbers and add up."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Iterator

from ...xmlio import NSMAP
from . import Document, Finding, rule


def _quantity(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


@rule("DIS001", "copy-count-whole")
def copy_count_whole(doc: Document) -> Iterator[Finding]:
    """A count of copies (measure[@unit='copy']) is a whole number of at least one.

    Half a copy is a typing slip; so is a count of zero on a recipient.

    Fails:
        <list type="distribution"><item>General Office <measure unit="copy" quantity="2.5">(2)</measure></item></list>
    Passes:
        <list type="distribution"><item>General Office <measure unit="copy" quantity="2">(2)</measure></item></list>
    """
    for measure in (m for m in doc.tagged("measure") if m.get("unit") == "copy"):
        quantity = _quantity(measure.get("quantity"))
        if measure.get("quantity") is None:
            yield Finding(measure, "a copy count needs @quantity", "quantity")
        elif quantity is None or not quantity.is_finite():
            yield Finding(measure, f"@quantity=\"{measure.get('quantity')}\" is not a number of copies", "quantity")
        elif quantity != quantity.to_integral_value() or quantity < 1:
            yield Finding(measure, f"@quantity=\"{measure.get('quantity')}\" is not a whole number of copies", "quantity")


@rule("DIS002", "copy-total-covers-counts")
def copy_total_covers_counts(doc: Document) -> Iterator[Finding]:
    """The total of copies is not smaller than the counts listed for recipients.

    If the list gives more copies than the total, either a count or the total is misread.

    Fails:
        <list type="distribution"><item>A <measure unit="copy" quantity="3">(3)</measure></item><item>B <measure unit="copy" quantity="2">(2)</measure></item></list>
        <p><measure type="total" unit="copy" quantity="4">4 copies in total</measure></p>
    Passes:
        <list type="distribution"><item>A <measure unit="copy" quantity="3">(3)</measure></item><item>B <measure unit="copy" quantity="2">(2)</measure></item></list>
        <p><measure type="total" unit="copy" quantity="30">30 copies in total</measure></p>
    """
    if not any(m.get("type") == "total" for m in doc.tagged("measure")):
        return
    for div in doc.tagged("div"):
        totals = div.findall(".//tei:measure[@type='total'][@unit='copy']", NSMAP)
        if not totals:
            continue
        listed = sum(
            (_quantity(m.get("quantity")) or Decimal(0))
            for m in div.iterfind(".//tei:list[@type='distribution']//tei:measure[@unit='copy']", NSMAP)
        )
        for total in totals:
            quantity = _quantity(total.get("quantity"))
            if quantity is not None and quantity < listed:
                yield Finding(total, f"total of {total.get('quantity')} copies is smaller than the {listed} counted in the list", "quantity")
