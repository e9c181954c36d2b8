"""Content packs: one format for every game's items, read from JSON, CSV or Excel, checked
by the games' own validators, and stored per app. docs/packs.md is the operator's guide."""
from server.packs.importer import MODES, ImportOutcome, Mode, import_pack
from server.packs.load import PACK_VERSION, Entry, LoadedPack, load_pack
from server.packs.problems import REPORT_COLUMNS, Problem, write_report
from server.packs.tabular import PackFileError

__all__ = [
    "MODES", "PACK_VERSION", "REPORT_COLUMNS", "Entry", "ImportOutcome", "LoadedPack", "Mode", "PackFileError",
    "Problem", "import_pack", "load_pack", "write_report",
]
