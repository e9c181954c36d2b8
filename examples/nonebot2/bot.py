"""Run a NoneBot2 bot with the Campfire plugin: `python bot.py` (see README.md)."""
import sys
from pathlib import Path

import nonebot
from nonebot.adapters.onebot.v11 import Adapter as OneBotV11

# The Campfire SDK lives at the repository root (or is pip-installed as "campfire").
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

nonebot.init()
nonebot.get_driver().register_adapter(OneBotV11)
nonebot.load_plugin(Path(__file__).parent / "campfire_plugin")

if __name__ == "__main__":
    nonebot.run()
