"""The report's final wording: nearness checks in good Swedish, p-values written right, plain
words for the kommun tier, and no crash when every event lies near the places."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from reports.plain import MARK, places, poi_sentence

TEST = {"kind": "krog", "n_places": 4, "distance_m": 200.0, "events_inside": 34, "events_outside": 85,
        "events_total": 119, "area_share": 0.14, "rate_ratio": 2.43, "p_value": 0.0004}


def data(tier: str = "police", lang: str = "sv"):
    return SimpleNamespace(lang=lang, kommun=tier == "kommun")


@pytest.mark.parametrize(("kind", "n", "lang", "text"), [
    ("krog", 4, "sv", "4 krogar"), ("krog", 1, "sv", "1 krog"), ("tunnelbana", 2, "sv", "2 tunnelbaneuppgångar"),
    ("tunnelbana", 1, "en", "1 metro exit"), ("kiosk", 3, "sv", "3 platser av typen kiosk"),
])
def test_places_are_counted_in_good_swedish(kind, n, lang, text):
    assert places(kind, n, lang) == text


def test_police_sentence_names_the_p_value_right():
    text = poi_sentence(TEST, data(), plain=False).replace("\xa0", " ")
    assert text == ("Inom 200 m från 4 krogar inträffade 34 av 119 händelser, på 14 % av områdets yta: "
                    "2,4 gånger tätare än i resten av området, p < 0,001.")
    assert "p = 0,013" in poi_sentence({**TEST, "p_value": 0.0128}, data(), plain=False)


def test_kommun_sentence_is_plain_with_the_method_in_a_footnote():
    text = poi_sentence(TEST, data("kommun"), plain=True).replace("\xa0", " ")
    assert text.endswith(f"2,4 gånger tätare än i resten av området – en säker skillnad{MARK}.")
    assert "p " not in text
    calm = poi_sentence({**TEST, "p_value": 0.3}, data("kommun"), plain=True)
    assert "kan vara slump (inom normal variation)" in calm
    small = poi_sentence({**TEST, "events_inside": 3, "events_outside": 12, "events_total": 15}, data("kommun"),
                         plain=True)
    assert "<5 av 15" in small and "gånger" not in small  # a hidden count gives no ratio


def test_every_event_near_the_places_gives_no_ratio_and_no_crash():
    t = {**TEST, "events_inside": 20, "events_outside": 0, "events_total": 20, "rate_ratio": math.inf}
    assert poi_sentence(t, data(), plain=False).replace("\xa0", " ").endswith("inga händelser i resten av området, p < 0,001.")
    assert "none in the rest of the area" in poi_sentence(t, data(lang="en"), plain=False)
    assert poi_sentence({**t, "p_value": math.nan}, data(), plain=False).endswith("resten av området.")
