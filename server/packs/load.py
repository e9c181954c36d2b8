"""Reading a pack file (JSON, CSV or XLSX) and checking all of it.

Checking never stops at the first problem: the envelope or header, every item and every
id are all looked at, and each problem is recorded against the line or row it is on.
A problem with the file itself (syntax, envelope, header) is ``blocking``: no mode may
store anything from that file. A problem with an item only marks that item bad.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from server.packs.cells import header_key, text
from server.packs.columns import SPECS, SheetSpec
from server.packs.jsontext import scan
from server.packs.kinds import Validator, known_kinds, reviewer_for, validator_for
from server.packs.problems import Problem, Unit
from server.packs.tabular import PackFileError, RowSource, read_rows

PACK_VERSION = 1
ENVELOPE_FIELDS = ("campfire_pack", "kind", "name", "license", "description", "items")
MAX_NAME = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

ProgressFn = Callable[[int, "int | None"], None]


@dataclass(slots=True)
class Entry:
    """One item and where it came from (a JSON item's first line, or a sheet row)."""

    number: int
    item: Any
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def item_id(self) -> str | None:
        value = self.item.get("id") if isinstance(self.item, dict) else None
        return value if isinstance(value, str) else None


@dataclass(slots=True)
class LoadedPack:
    path: Path
    format: str  # "json", "csv" or "xlsx"
    unit: Unit  # "line" for JSON, "row" for sheets
    kind: str | None = None
    name: str | None = None
    license: str | None = None
    description: str | None = None
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the file's own: each blocks any import
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return bool(self.problems) or self.kind is None or self.name is None

    def good(self) -> list[Entry]:
        return [e for e in self.entries if e.ok]

    def bad(self) -> list[Entry]:
        return [e for e in self.entries if not e.ok]

    def all_problems(self) -> list[Problem]:
        every = self.problems + [p for e in self.entries for p in e.problems]
        return sorted(every, key=Problem.sort_key)


def load_pack(path: str | Path, kind: str | None = None, name: str | None = None, sheet: str | None = None,
              progress: ProgressFn | None = None) -> LoadedPack:
    """Read and check a pack. ``kind`` and ``name`` override (sheets) or must agree with (JSON)
    the file's own. Raises PackFileError only when the file cannot be read at all."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _load_json(path, kind, name, progress)
    source = read_rows(path, sheet)
    fmt = "xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    return _load_sheet(path, fmt, source, kind, name, progress)


# --- checks shared by both formats ---------------------------------------------------------

def _check_name(name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return "must be a non-empty string"
    if len(name) > MAX_NAME:
        return f"must be at most {MAX_NAME} characters"
    if _CONTROL.search(name):
        return "must not contain control characters"
    return None


def _kind_problem(kind: Any) -> str | None:
    if not isinstance(kind, str) or not kind:
        return f"must be one of {known_kinds()}"
    if validator_for(kind) is None:
        return f"unknown kind '{kind}': must be one of {known_kinds()}"
    return None


def _value_at(item: Any, path: str) -> Any:
    """``title.zh`` or ``words[1]`` inside an item, or None."""
    value = item
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _with_value(reason: str, value: Any) -> str:
    """Show the offending value when it is a short scalar: "must be 1, 2 or 3 (got 5)"."""
    if value is None or value == "" or isinstance(value, (dict, list)) or reason.startswith("unknown"):
        return reason
    shown = json.dumps(value, ensure_ascii=False)
    return f"{reason} (got {shown if len(shown) <= 40 else shown[:37] + '…'})"


def _check_entries(entries: Iterable[Entry], validate: Validator | None, unit: Unit,
                   column_for: Callable[[str], str] = lambda f: f,
                   progress: ProgressFn | None = None, total: int | None = None) -> list[Entry]:
    """Run the game's validator on each item, then find duplicate ids across them."""
    checked: list[Entry] = []
    first_seen: dict[str, int] = {}
    for entry in entries:
        item_id = entry.item_id
        already = {p.field for p in entry.problems}
        if validate is not None:
            try:
                found = validate(entry.item)
            except Exception as exc:  # a validator bug must not hide the rest of the report
                found = [("item", f"could not be checked ({type(exc).__name__}: {exc})")]
            for item_field, reason in found:
                column = column_for(item_field)
                if column not in already:
                    entry.problems.append(Problem(unit, entry.number, column,
                                                  _with_value(reason, _value_at(entry.item, item_field)), item_id))
        if item_id is not None:
            if item_id in first_seen:
                entry.problems.append(Problem(unit, entry.number, column_for("id"),
                                              f"duplicate id '{item_id}' (first on {unit} {first_seen[item_id]})",
                                              item_id))
            else:
                first_seen[item_id] = entry.number
        checked.append(entry)
        if progress is not None:
            progress(len(checked), total)
    return checked


def _review(entries: list[Entry], kind: str | None, unit: Unit,
            column_for: Callable[[str], str] = lambda f: f) -> None:
    """The game's pack-wide checks (questions answering each other) over the items that
    passed their own checks; each finding marks the item it is in."""
    review = reviewer_for(kind) if kind else None
    if review is None:
        return
    good = [e for e in entries if e.ok]
    for index, item_field, reason in review([e.item for e in good]):
        entry = good[index]
        entry.problems.append(Problem(unit, entry.number, column_for(item_field), reason, entry.item_id))


# --- JSON --------------------------------------------------------------------------------

def _load_json(path: Path, kind: str | None, name: str | None, progress: ProgressFn | None) -> LoadedPack:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackFileError(f"{path}: {exc.strerror or exc}") from None
    out = LoadedPack(path, "json", "line")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.problems.append(Problem("file", None, "json", f"not UTF-8 text (byte {exc.start})"))
        return out
    scanned = scan(content)
    out.problems.extend(scanned.problems)
    if scanned.problems and (scanned.broken or not scanned.key_lines):
        return out  # a syntax error or not an object: nothing more can be read
    env, lines = scanned.envelope, scanned.key_lines

    def envelope_problem(key: str, reason: str) -> None:
        number = lines.get(key)
        out.problems.append(Problem("line" if number else "file", number, key, reason))

    version = env.get("campfire_pack")
    if "campfire_pack" not in lines:
        envelope_problem("campfire_pack", f'missing: a pack starts with "campfire_pack": {PACK_VERSION}')
    elif isinstance(version, bool) or version != PACK_VERSION:
        envelope_problem("campfire_pack", f"unsupported version {json.dumps(version)}; this Campfire reads "
                                          f"version {PACK_VERSION}")
    file_kind = env.get("kind")
    if "kind" not in lines:
        envelope_problem("kind", f"missing: one of {known_kinds()}")
    elif (why := _kind_problem(file_kind)) is not None:
        envelope_problem("kind", why)
    elif kind is not None and kind != file_kind:
        envelope_problem("kind", f"the file says '{file_kind}' but '{kind}' was asked for")
    else:
        out.kind = file_kind
    if "name" not in lines:
        envelope_problem("name", "missing: the pack's name")
    elif (why := _check_name(env.get("name"))) is not None:
        envelope_problem("name", why)
    else:
        out.name = env["name"]
    if name is not None:
        if (why := _check_name(name)) is not None:
            out.problems.append(Problem("file", None, "name", f"--name {why}"))
        else:
            out.name = name
    for key in ("license", "description"):
        if key in env:
            if isinstance(env[key], str):
                setattr(out, key, env[key])
            else:
                envelope_problem(key, "must be a string")
    for key in env:
        if key not in ENVELOPE_FIELDS:
            envelope_problem(key, "unknown field")
    if scanned.items is None:
        envelope_problem("items", "must be a list of items" if "items" in lines else "missing: the list of items")
        return out
    if not scanned.items:
        envelope_problem("items", "has no items")
    # The file's own kind when a game knows it (checking quiz items as spy pairs tells nobody
    # anything), else the kind asked for.
    validate_kind = next((k for k in (file_kind, kind) if isinstance(k, str) and validator_for(k)), None)
    validate = validator_for(validate_kind) if validate_kind else None
    entries = []
    for it in scanned.items:
        entry = Entry(it.line, it.value)
        for key in it.duplicate_keys:
            entry.problems.append(Problem("line", it.line, key, "appears more than once (the last one would win)",
                                          entry.item_id))
        entries.append(entry)
    out.entries = _check_entries(entries, validate, "line", progress=progress, total=len(entries))
    _review(out.entries, validate_kind, "line")
    return out


# --- CSV and XLSX ------------------------------------------------------------------------------

def _guess_spec(keys: list[str]) -> SheetSpec | None:
    """The one kind whose required columns the header has, or None when none or several fit."""
    fits = []
    for spec in SPECS.values():
        table = spec.lookup()
        present = {table[k] for k in keys if k in table}
        if all(any(col in present for col in group) for group in spec.required):
            fits.append(spec)
    return fits[0] if len(fits) == 1 else None


def _load_sheet(path: Path, fmt: str, source: RowSource, kind: str | None, name: str | None,
                progress: ProgressFn | None) -> LoadedPack:
    out = LoadedPack(path, fmt, "row", notes=list(source.notes))
    pack_name = name if name is not None else path.stem
    if (why := _check_name(pack_name)) is not None:
        out.problems.append(Problem("file", None, "name", f"{'--name' if name is not None else 'file name'} {why}"))
    else:
        out.name = pack_name
    rows = source.rows
    first = next(rows, None)
    if first is None:
        out.problems.append(Problem("file", None, "header", "the sheet is empty: row 1 must hold the column names"))
        return out
    _, header = first
    keys = [header_key(h) for h in header]
    spec: SheetSpec | None
    if kind is not None:
        if (why := _kind_problem(kind)) is not None:
            out.problems.append(Problem("file", None, "kind", f"--kind {why}"))
            return out
        spec = SPECS.get(kind)
        if spec is None:
            out.problems.append(Problem("file", None, "kind", f"no spreadsheet columns are defined for '{kind}'; "
                                                               "use a JSON pack"))
            return out
    else:
        spec = _guess_spec(keys)
        if spec is None:
            out.problems.append(Problem("row", 1, "header", "cannot tell the kind of items from the column names; "
                                                             f"give --kind ({'/'.join(SPECS)})"))
            return out
    if validator_for(spec.kind) is None:
        out.problems.append(Problem("file", None, "kind", f"no game checks '{spec.kind}' items yet"))
        return out
    out.kind = spec.kind

    table = spec.lookup()
    columns: dict[int, str] = {}
    for index, key in enumerate(keys):
        if not key:
            continue
        label = text(header[index]) or key
        canonical = table.get(key)
        if canonical is None:
            out.problems.append(Problem("row", 1, label, f"unknown column (known: {', '.join(spec.columns)})"))
        elif canonical in columns.values():
            out.problems.append(Problem("row", 1, label, f"a second '{canonical}' column"))
        else:
            columns[index] = canonical
    present = set(columns.values())
    missing = [group for group in spec.required if not any(col in present for col in group)]
    for group in missing:
        out.problems.append(Problem("row", 1, " or ".join(group), "missing column"))
    if missing:
        return out  # every row would fail the same way; the header problem says it once

    total = source.total - 1 if source.total else None
    prefix = id_prefix(pack_name)

    def entries() -> Iterable[Entry]:
        for number, cells in rows:
            if all(text(c) is None for c in cells):
                out.blank_rows += 1
                continue
            values = {col: cells[i] for i, col in columns.items() if i < len(cells)}
            item, found = spec.build(values)
            item_id = text(values.get("id")) or f"{prefix}-r{number}"
            item = {"id": item_id, **item}
            entry = Entry(number, item)
            for i, cell in enumerate(cells):
                if i not in columns and text(cell) is not None and (i >= len(keys) or not keys[i]):
                    entry.problems.append(Problem("row", number, f"column {_column_letter(i)}",
                                                  "has a value but no header", item_id))
            for column, reason in found:
                entry.problems.append(Problem("row", number, column, _with_value(reason, values.get(column)),
                                              item_id))
            yield entry

    out.entries = _check_entries(entries(), validator_for(spec.kind), "row", spec.column_for, progress, total)
    _review(out.entries, spec.kind, "row", spec.column_for)
    return out


def id_prefix(name: str) -> str:
    """The pack name as the start of generated ids: kept as is when it is plain ASCII letters,
    digits, "-" and "_" (ids appear in URLs, e.g. song clips), else a slug plus a short hash."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}", name):
        return name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_")[:32].rstrip("-_")
    code = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{code}" if slug else f"p{code}"


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: as a spreadsheet labels columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
