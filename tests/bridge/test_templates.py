"""Operators replace the bridge's wording with a dict or a JSON file; empty means silent."""
from __future__ import annotations

import json

from sdk.bridge import DEFAULTS, Templates


def test_an_override_replaces_one_template_and_keeps_the_rest() -> None:
    t = Templates({"zh": {"reply.checkin": "{name} 打卡 +{points}"}})
    assert t.render("zh", "reply.checkin", name="A", points=10) == "A 打卡 +10"
    assert t.get("zh", "quiz.question") == DEFAULTS["zh"]["quiz.question"]


def test_overrides_load_from_a_json_file(tmp_path) -> None:
    path = tmp_path / "words.json"
    path.write_text(json.dumps({"en": {"player_joined": "welcome {name}"}}), encoding="utf-8")
    assert Templates(str(path)).render("en", "player_joined", name="Bob") == "welcome Bob"


def test_an_empty_template_silences_the_message() -> None:
    t = Templates({"zh": {"player_joined": ""}})
    assert t.render("zh", "player_joined", who="x", count=1) is None


def test_an_unknown_placeholder_is_left_as_written() -> None:
    t = Templates({"en": {"reply.checkin": "{name} {nonsense}"}})
    assert t.render("en", "reply.checkin", name="A") == "A {nonsense}"


def test_an_unknown_language_reads_english() -> None:
    assert Templates().get("fr", "room_closed") == DEFAULTS["en"]["room_closed"]


def test_both_languages_cover_the_same_event_templates() -> None:
    def events(lang: str) -> set[str]:
        return {k for k in DEFAULTS[lang] if not k.startswith(("error.", "reply."))}

    assert events("zh") == events("en")
    assert {k for k in DEFAULTS["zh"] if k.startswith("reply.")} == {k for k in DEFAULTS["en"] if k.startswith("reply.")}
