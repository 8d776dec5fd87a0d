"""Name normalisation: transliteration, MT noise, fusions and splits (storyline.names)."""

from __future__ import annotations

import pytest

from storyline.names import (
    blocking_keys,
    fold,
    name_match,
    org_match,
    parse_person,
    person_match,
    split_camel,
    token_similarity,
    translit_key,
)

SAME_PERSON = [
    ("Oleksandr Zelensky", "Oleksandr Zelenskyy"),
    ("Volodymyr Zelensky", "Volodymyr Zelenskiy"),
    ("Volodymyr Zelensky", "Wolodymyr Selenskyj"),
    ("Vladimir Putin", "Vladimirputin"),  # fused first + last name
    ("Vladimir Putin", "VladimirPutin"),
    ("Volodymyr Zelensky", "Vol odymyr Zelensky"),  # given name split
    ("Dmitry Peskov", "Dmitri Peskov"),
    ("Sergei Lavrov", "Sergey Lavrov"),
    ("Andriy Yermak", "Andrii Yermak"),
    ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),  # diacritics
    ("Mohammed bin Salman", "Mohammad bin Salman"),
    ("George W. Bush", "George Bush"),  # middle initial left out
    ("J. Smithson", "John Smithson"),  # initial
    ("Yusuf Karimov", "Yosuf Karimov"),  # o/u transliteration
    ("Marina Kovalenko", "Marina Kovallenko"),  # doubled letter
    ("Marina Kovalenko", "Marina Kovaenko"),  # dropped letter
]

DIFFERENT_PEOPLE = [
    ("Dmitry Peskov", "Vladimir Putin"),
    ("Kim Jong Un", "Kim Jong Il"),
    ("Boris Johnson", "Jo Johnson"),  # brothers
    ("Tom Smith", "Tim Smith"),  # one changed letter in a short name
    ("Olena Petrenko", "Olena Pavlenko"),
    ("Ivan Morozov", "Oleg Morozov"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_variants_of_one_person_match(a: str, b: str) -> None:
    assert person_match(a, b) >= 0.86, (a, b, person_match(a, b))
    assert person_match(b, a) >= 0.86


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PEOPLE)
def test_different_people_do_not_match(a: str, b: str) -> None:
    assert person_match(a, b) < 0.86, (a, b, person_match(a, b))


def test_surname_alone_is_a_weak_match() -> None:
    s = person_match("Putin", "Vladimir Putin")
    assert 0.5 < s < 0.86
    assert person_match("Putin", "Dmitry Peskov") == 0.0


def test_fold_and_keys() -> None:
    assert fold("Erdoğan’s") == "erdogans"
    assert fold("Łukasz Żółć") == "lukasz zolc"
    assert translit_key("Kiev") == translit_key("Kyiv")
    assert translit_key("Zelenskyy") == translit_key("Zelensky") == translit_key("Zelenskiy")
    assert translit_key("Kharkiv") == translit_key("Harkiv")
    assert token_similarity("Tom", "Tim") < 0.84


def test_parse_person_strips_titles_and_particles() -> None:
    p = parse_person("President Bashar al-Assad")
    assert p.titles == ("president",)
    assert p.core == ("bashar", "assad")
    assert parse_person("Al Gore").core == ("al", "gore")  # a capitalised first token is a name
    assert parse_person("Martin Luther King Jr.").surname == "king"


def test_split_camel_keeps_name_prefixes() -> None:
    assert split_camel("VladimirPutin") == "Vladimir Putin"
    assert split_camel("McDonald") == "McDonald"
    assert split_camel("DeSantis") == "DeSantis"
    assert split_camel("MacArthur") == "MacArthur"


def test_organisations_and_places() -> None:
    assert org_match("NATO", "North Atlantic Treaty Organization") >= 0.88
    assert org_match("Gazprom", "Gazprom PJSC") >= 0.88
    assert name_match("Kiev", "Kyiv", "GPE") >= 0.88
    assert org_match("World Bank", "World Health Organization") < 0.88


def test_blocking_keys_share_a_key_for_variants() -> None:
    for a, b in SAME_PERSON:
        if len(parse_person(a).core) > 1 and len(parse_person(b).core) > 1:
            assert blocking_keys(a, "PERSON") & blocking_keys(b, "PERSON"), (a, b)
