"""Writes sdk/bridge/hant.py: the bridge's own words in Traditional Chinese (OpenCC s2tw)."""
import pprint
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout

from opencc import OpenCC

from sdk.bridge.commands import COMMANDS
from sdk.bridge.render import TITLES
from sdk.bridge.templates import DEFAULTS

cv = OpenCC("s2tw")
templates = {k: cv.convert(v) for k, v in DEFAULTS["zh"].items()}
titles = {k: cv.convert(v) for k, v in TITLES["zh"].items()}
help_ = {c.action: cv.convert(c.help_zh) for c in COMMANDS}
head = '''"""The bridge's own words in Traditional Chinese (the ``zh-Hant`` language).

Generated from the simplified tables (templates.DEFAULTS["zh"], render.TITLES["zh"], the
command help) with OpenCC's s2tw conversion; tests/bridge/test_traditional.py fails when a
simplified text changes and this file was not regenerated (``python scripts/gen_bridge_hant.py``).
"""
'''
with open("sdk/bridge/hant.py", "w", encoding="utf-8") as f:
    f.write(head + "\n")
    f.write("TEMPLATES: dict[str, str] = " + pprint.pformat(templates, width=118, sort_dicts=False) + "\n\n")
    f.write("TITLES: dict[str, str] = " + pprint.pformat(titles, width=118, sort_dicts=False) + "\n\n")
    f.write("HELP: dict[str, str] = " + pprint.pformat(help_, width=118, sort_dicts=False) + "\n")
