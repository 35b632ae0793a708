"""Dutch house numbers as people write them: number and addition, neither lost."""

from __future__ import annotations

import pytest

from achterban.addresses.nl import parse_nl, split_house_number


@pytest.mark.parametrize(
    ("written", "number", "addition"),
    [
        ("Kerkstraat 12", "12", ""),
        ("Kerkstraat 12A", "12", "A"),
        ("Kerkstraat 12 a", "12", "A"),
        ("Kerkstraat 12-3", "12", "3"),
        ("Kerkstraat 12 - 3", "12", "3"),
        ("Kerkstraat 12/3", "12", "3"),
        # a letter and an addition both
        ("Kerkstraat 12A-2", "12", "A-2"),
        ("Kerkstraat 12 A 2", "12", "A-2"),
        ("Kerkstraat 12-A-2", "12", "A-2"),
        ("Kerkstraat 12a bis", "12", "A bis"),
        # the addition after a space only
        ("Kerkstraat 12 2", "12", "2"),
        ("Kerkstraat 12 hs", "12", "hs"),
        ("Kerkstraat 12 III", "12", "III"),
        ("Kerkstraat 12-II", "12", "II"),
        ("Kerkstraat 12 bis", "12", "bis"),
        ("Kerkstraat 5 1hg", "5", "1hg"),
        ("Kerkstraat 1234-2", "1234", "2"),
    ],
)
def test_number_and_addition_are_split_as_written(written, number, addition):
    assert split_house_number(written) == ("Kerkstraat", number, addition)


@pytest.mark.parametrize(
    ("written", "street", "number"),
    [
        ("Plein 1944 12", "Plein 1944", "12"),
        ("Laan 1940-1945 3", "Laan 1940-1945", "3"),
        ("2e Van Swindenstraat 12", "2e Van Swindenstraat", "12"),
    ],
)
def test_a_number_in_the_street_name_stays_the_streets(written, street, number):
    assert split_house_number(written) == (street, number, "")


def test_without_a_house_number_nothing_is_invented():
    assert split_house_number("Kerkstraat") is None
    assert split_house_number("Kerkstraat 12 Groningen") is None


def test_a_whole_address_keeps_letter_and_addition():
    fields = parse_nl("Oude Ebbingestraat 12 A 2, 9712 HA Groningen")
    assert (fields["street"], fields["house_number"], fields["house_number_addition"]) == (
        "Oude Ebbingestraat", "12", "A-2",
    )  # fmt: skip
    assert (fields["postcode"], fields["city"], fields["status"]) == ("9712 HA", "Groningen", "ok")
    spaced = parse_nl("Kerkstraat 12 hs, 1017 GB Amsterdam")
    assert (spaced["house_number"], spaced["house_number_addition"]) == ("12", "hs")
