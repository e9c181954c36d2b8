"""The configuration reference and the sample file never drift from server/config.py."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from server.config import Settings, load_settings
from server.config_doc import missing_help, reference, sample

ROOT = Path(__file__).resolve().parents[1]
FIX = "regenerate with `python -m server.config_doc > docs/configuration.md` " \
      "and `python -m server.config_doc --sample > deploy/campfire.toml`"


def test_every_setting_has_a_meaning_in_the_reference() -> None:
    assert missing_help() == [], "add a line to server/config_doc.py HELP for each"


def test_the_reference_page_is_the_generated_one() -> None:
    assert (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8") == reference(), FIX


def test_the_sample_file_is_the_generated_one() -> None:
    assert (ROOT / "deploy" / "campfire.toml").read_text(encoding="utf-8") == sample(), FIX


def test_the_sample_file_loads_to_the_defaults() -> None:
    loaded = load_settings(str(ROOT / "deploy" / "campfire.toml"), env={})
    assert dataclasses.asdict(loaded) == dataclasses.asdict(Settings())


def test_each_environment_variable_in_the_reference_sets_its_setting() -> None:
    for f in dataclasses.fields(Settings):
        default = getattr(Settings(), f.name)
        raw = {bool: "true" if not default else "false", int: "7", float: "7.5", str: "x"}[type(default)]
        raw = {"public_url": "https://x.example", "log_format": "json"}.get(f.name, raw)  # checked values
        assert f"`CAMPFIRE_{f.name.upper()}`" in reference()
        loaded = load_settings(env={f"CAMPFIRE_{f.name.upper()}": raw})
        assert getattr(loaded, f.name) != default, f.name
