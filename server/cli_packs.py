"""``campfire packs``: check content-pack files, import them for an app, list and delete them.

validate and import print every problem (line or row, field, reason); ``--report`` also
writes them as CSV for a spreadsheet. Exit status: 0 when the file is clean, 1 when any
problem was found (in skip mode the good items were still stored), 2 when the command could
not run (unreadable file, unknown app, bad settings).
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from server.cli_common import (
    add_json_option,
    add_store_option,
    emit,
    find_app,
    run_store_command,
    table,
)
from server.packs import (
    MODES,
    LoadedPack,
    PackFileError,
    Problem,
    import_pack,
    load_pack,
    write_report,
)
from server.packs.progress import Progress
from server.store import Store

PROGRESS_FROM = 1_000  # smaller files finish before a bar would be worth drawing


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    packs = sub.add_parser("packs", help="content packs: validate, import, list, delete")
    verbs = packs.add_subparsers(dest="verb", metavar="VERB", required=True)

    validate = verbs.add_parser("validate", help="check a pack file (.json, .csv, .xlsx) and name every problem")
    _file_options(validate, optional=True)
    validate.add_argument("--builtin", action="store_true",
                          help="check every built-in pack (games/content), across files too, and count what they hold")
    validate.set_defaults(func=_validate)

    imp = verbs.add_parser("import", help="check a pack file and store it for an app")
    _file_options(imp)
    imp.add_argument("--app", required=True, help="the app's id or name (campfire apps list)")
    imp.add_argument("--mode", choices=MODES, default="strict",
                     help="strict: store nothing if any item is bad (default); skip: store the good items, "
                          "report the bad")
    add_store_option(imp)
    imp.set_defaults(func=lambda a: run_store_command(a, _import))

    lst = verbs.add_parser("list", help="list an app's packs")
    lst.add_argument("--app", required=True, help="the app's id or name")
    lst.add_argument("--kind", default=None, help="only packs of this kind: quiz, spy or song")
    add_store_option(lst)
    add_json_option(lst)
    lst.set_defaults(func=lambda a: run_store_command(a, _list))

    delete = verbs.add_parser("delete", help="delete one of an app's packs")
    delete.add_argument("name", help="the pack's name (campfire packs list)")
    delete.add_argument("--app", required=True, help="the app's id or name")
    delete.add_argument("--kind", required=True, help="the pack's kind: quiz, spy or song")
    add_store_option(delete)
    delete.set_defaults(func=lambda a: run_store_command(a, _delete))


def _file_options(parser: argparse.ArgumentParser, optional: bool = False) -> None:
    parser.add_argument("file", nargs="?" if optional else None,
                        help="a .json pack, or a .csv/.tsv/.xlsx sheet with a header row")
    parser.add_argument("--kind", default=None, help="quiz, spy or song (sheets: guessed from the header if omitted)")
    parser.add_argument("--name", default=None, help="the pack's name (sheets: default is the file name)")
    parser.add_argument("--sheet", default=None, help="the .xlsx worksheet to read (default: the first)")
    parser.add_argument("--report", default=None, metavar="PATH", help="also write the problems to PATH as CSV")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar on stderr (default: on a terminal, for large files)")


def _load(args: argparse.Namespace) -> LoadedPack | None:
    """Read and check the file, with a progress bar when asked or when it helps."""
    bar: Progress | None = None
    wanted = args.progress if args.progress is not None else sys.stderr.isatty()

    def progress(done: int, total: int | None) -> None:
        nonlocal bar
        if bar is None and (args.progress or (total or done) >= PROGRESS_FROM):
            bar = Progress(sys.stderr, "checking")
        if bar is not None:
            bar.update(done, total)

    try:
        pack = load_pack(args.file, kind=args.kind, name=args.name, sheet=args.sheet,
                         progress=progress if wanted else None)
    except PackFileError as exc:
        print(f"campfire: {exc}", file=sys.stderr)
        return None
    if bar is not None:
        bar.finish(len(pack.entries))
    return pack


def _summarise(pack: LoadedPack) -> list[Problem]:
    """Print what the file holds and every problem; returns the problems."""
    noun = "items" if pack.unit == "line" else "rows"
    what = f"{pack.kind or '?'} pack '{pack.name or '?'}' ({pack.format})"
    good = len(pack.good())
    line = f"{pack.path}: {what}, {len(pack.entries):,} {noun}: {good:,} good, {len(pack.entries) - good:,} bad"
    if pack.blank_rows:
        line += f" ({pack.blank_rows:,} blank {'row' if pack.blank_rows == 1 else 'rows'} skipped)"
    print(line)
    for note in pack.notes:
        print(f"note: {note}")
    problems = pack.all_problems()
    for problem in problems:
        print(f"  {problem}")
    if problems:
        print(f"{len(problems):,} {'problem' if len(problems) == 1 else 'problems'}"
              + (" with the file itself" if pack.problems else ""))
    return problems


def _write_report(args: argparse.Namespace, problems: list[Problem]) -> bool:
    if not args.report:
        return True
    try:
        with open(args.report, "w", encoding="utf-8-sig", newline="") as fh:
            write_report(problems, fh)
    except OSError as exc:
        print(f"campfire: cannot write the report: {exc}", file=sys.stderr)
        return False
    print(f"report: {len(problems):,} {'problem' if len(problems) == 1 else 'problems'} written to {args.report}")
    return True


def _validate(args: argparse.Namespace) -> int:
    if args.builtin:
        return _validate_builtin()
    if not args.file:
        print("campfire: give a pack FILE, or --builtin", file=sys.stderr)
        return 2
    pack = _load(args)
    if pack is None:
        return 2
    problems = _summarise(pack)
    if not _write_report(args, problems):
        return 2
    if not problems:
        print("ok: no problems")
    return 1 if problems else 0


async def _import(store: Store, args: argparse.Namespace) -> int:
    args.app = (await find_app(store, args.app)).id
    pack = _load(args)
    if pack is None:
        return 2
    problems = _summarise(pack)
    outcome = await import_pack(store, args.app, pack, args.mode, time.time())
    if outcome.stored:
        replaced = f", replacing its {outcome.replaced:,} items" if outcome.replaced is not None else ""
        print(f"{args.mode}: stored {outcome.stored:,} items as {pack.kind} pack '{pack.name}' for app "
              f"{args.app}{replaced}" + (f"; {outcome.bad:,} bad items left out (listed above)" if outcome.bad else ""))
    else:
        print(f"{args.mode}: {outcome.reason}")
    if not _write_report(args, problems):
        return 2
    return 1 if problems else 0


async def _list(store: Store, args: argparse.Namespace) -> int:
    args.app = (await find_app(store, args.app)).id
    packs: list[dict[str, Any]] = await store.list_packs(args.app, args.kind)

    def render() -> str:
        if not packs:
            return "no packs yet: campfire packs import FILE --app " + args.app
        return table(["kind", "name", "items", "imported"],
                     [(p["kind"], p["name"], p["count"], time.strftime("%Y-%m-%d %H:%M", time.localtime(p["at"])))
                      for p in packs])

    emit(args, {"packs": packs}, render)
    return 0


async def _delete(store: Store, args: argparse.Namespace) -> int:
    args.app = (await find_app(store, args.app)).id
    if await store.delete_pack(args.app, args.kind, args.name):
        print(f"deleted {args.kind} pack '{args.name}'")
        return 0
    print(f"campfire: app '{args.app}' has no {args.kind} pack '{args.name}'", file=sys.stderr)
    return 1


def _validate_builtin() -> int:
    """Every built-in pack file, then the checks across files of one kind (a game draws from
    all of them at once), then what they hold: items per kind, language and category."""
    from collections import Counter

    from games.content import HERE
    from server.packs.kinds import reviewer_for

    problems = 0
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(HERE.glob("*.json")):
        pack = load_pack(path)
        problems += len(_summarise(pack))
        if pack.kind:
            by_kind.setdefault(pack.kind, []).extend(e.item for e in pack.good())
    for kind, items in sorted(by_kind.items()):
        review = reviewer_for(kind)
        found = review(items) if review else []
        for index, item_field, reason in found:
            print(f"  across {kind} packs [{items[index].get('id')}]  {item_field}: {reason}")
        problems += len(found)
        langs = Counter(str(it.get("lang") or "-") for it in items)
        categories = Counter(str(it.get("category")) for it in items)
        by_lang = ", ".join(f"{lang} {n:,}" for lang, n in sorted(langs.items()))
        print(f"{kind}: {len(items):,} items ({by_lang}) in {len(categories)} categories: "
              + ", ".join(f"{c} {n}" for c, n in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))))
    print("ok: no problems" if not problems else f"{problems:,} {'problem' if problems == 1 else 'problems'}")
    return 1 if problems else 0
