"""The chat bridge: group messages in, Campfire calls out; Campfire events in, chat text out.

A bot built on any chat framework needs three lines around it::

    bridge = Bridge(client, lang="zh")
    asyncio.create_task(bridge.run(send))   # events -> paced messages, through send()
    await bridge.handle(IncomingMessage(group, member, name, text, mentions))

Everything the bridge says (replies and game events alike) goes through one pacer per
chat, so a flurry of answers, joins or check-ins never floods a group.
"""
from __future__ import annotations

import asyncio
import logging
import time
import unicodedata
from datetime import datetime
from typing import Any, Awaitable, Callable, Mapping
from zoneinfo import ZoneInfo

from sdk.bridge.commands import COMMANDS, Intent, example_for, game_word, help_text, parse, parse_day, seat_number
from sdk.bridge.delivery import PLATFORM_PACE
from sdk.bridge.media import AUDIO_FORMAT, clip_link
from sdk.bridge.messages import IncomingMessage, OutgoingMessage
from sdk.bridge.pacer import OnFailure, Pacer, Send
from sdk.bridge.render import LETTERS, Renderer, title
from sdk.bridge.state import GroupState
from sdk.bridge.templates import Templates

log = logging.getLogger("campfire.bridge")

GAMES = ("quiz", "spy", "song")
# Refusals worth telling a member about even when their message was natural text (they
# clearly meant it as a move). Others (invalid_answer to chatter) stay silent.
_LOUD_NATURAL = frozenset({"word_in_description", "description_too_long", "empty_description",
                           "too_late", "already_answered", "guess_too_long"})


class Bridge:
    def __init__(self, client: Any, *, lang: str = "zh", platform: str | None = None,
                 rate: float | None = None, burst: int | None = None,
                 max_chars: int = 1500, templates: Templates | Mapping[str, Any] | str | None = None,
                 game_config: Mapping[str, Mapping[str, Any]] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 today: Callable[[], tuple[int, int, int]] | None = None,
                 activity: Any = None, media_base: str | None = None,
                 on_delivery_failed: OnFailure | None = None, give_up_after: float = 300.0,
                 audio_format: str | None = None, play_links: bool = False) -> None:
        """``platform`` (``telegram``, ``discord``, ``onebot``) picks the default ``rate`` and
        ``burst`` from ``PLATFORM_PACE`` (each platform's documented group limit); without it,
        1 message a second with bursts of 2. ``on_delivery_failed`` receives a
        ``DeliveryFailed`` for every message given up (see ``Pacer``). ``audio_format`` is the
        song clip format to attach (``ogg``, ``mp3``, ``wav``, ``silk``); by default the
        platform's (``AUDIO_FORMAT``)."""
        if platform is not None and platform not in PLATFORM_PACE:
            raise ValueError(f"unknown platform {platform!r}: one of {sorted(PLATFORM_PACE)}")
        pace_rate, pace_burst = PLATFORM_PACE[platform] if platform else (1.0, 2)
        rate = pace_rate if rate is None else rate
        burst = pace_burst if burst is None else burst
        self.client = client
        # Send each member who opens or joins a game a private link to the play page (docs/play.md).
        self.play_links = play_links
        self.audio_format = audio_format or (AUDIO_FORMAT.get(platform) if platform else None)
        self.activity = activity  # an ActivityReporter: every message handled is counted
        self.lang = lang
        self.templates = templates if isinstance(templates, Templates) else Templates(templates)
        self.renderer = Renderer(self.templates, media_base, self.audio_format)
        self.pacer = Pacer(rate=rate, burst=burst, max_chars=max_chars, clock=clock, sleep=sleep,
                           give_up_after=give_up_after, on_failure=on_delivery_failed)
        self.game_config = {k: dict(v) for k, v in (game_config or {}).items()}
        self.groups: dict[str, GroupState] = {}
        self.group_lang: dict[str, str] = {}
        self._room_group: dict[str, str] = {}
        self._today = today  # tests pin the date; otherwise it is today in the group's timezone
        self._zones: dict[str, str | None] = {}
        self._games_meta: list[dict[str, Any]] | None = None
        self._names: dict[str, dict[str, str]] = {}
        self._settings_read: set[str] = set()  # groups whose settings were read from the server
        self._synced: set[str] = set()  # groups whose live room was looked up since start  # group -> member -> display name (for boards)

    # --- public API ----------------------------------------------------------------
    def lang_of(self, group: str) -> str:
        """The group's language: ``zh``, ``zh-Hant`` (Traditional Chinese) or ``en``."""
        return self.group_lang.get(group, self.lang)

    def set_lang(self, group: str, lang: str) -> None:
        """Speak ``lang`` in the group from now on (this bridge only; see ``save_lang``)."""
        self.group_lang[group] = lang

    async def save_lang(self, group: str, lang: str) -> None:
        """Make ``lang`` the group's setting on the server (rooms and their content follow
        it, and every bot of the app reads it), then speak it here."""
        zh_script = {"zh": "simplified", "zh-Hant": "traditional"}.get(lang)
        await self.client.set_group(group, {"lang": lang[:2], **({"script": zh_script} if zh_script else {})})
        self.set_lang(group, lang)

    async def _load_group(self, group: str) -> None:
        """Once per group: its language from the server's group settings (``lang`` and, for
        Chinese, ``script``), unless this bridge was told one with ``set_lang``."""
        if group in self._settings_read or group in self.group_lang:
            return
        self._settings_read.add(group)
        try:
            settings = await self.client.group(group)
        except Exception:
            log.warning("could not read the settings of group %s; speaking %s", group, self.lang)
            return
        lang = settings.get("lang")
        if lang == "zh" and settings.get("script") == "traditional":
            lang = "zh-Hant"
        if lang in ("zh", "zh-Hant", "en"):
            self.group_lang[group] = lang

    def state(self, group: str) -> GroupState:
        st = self.groups.get(group)
        if st is None:
            st = self.groups[group] = GroupState(group)
        return st

    async def handle(self, msg: IncomingMessage) -> list[OutgoingMessage]:
        """Act on one group message. Returns the replies it queued (already on their way
        if ``run`` is going)."""
        self.remember(msg)
        await self._load_group(msg.group)
        if self.activity is not None:
            self.activity.message(msg.group, msg.member)
        intent = parse(msg.text)
        try:
            if intent is not None:
                out = await self._command(msg, intent)
            else:
                out = await self._natural(msg)
        except Exception as exc:  # CampfireError and its families carry a stable code
            code = getattr(exc, "code", None)
            if code is None:
                raise
            loud = intent is not None or code in _LOUD_NATURAL
            out = [self._reply(msg, self._error_text(msg, code, getattr(exc, "message", str(exc))))] if loud else []
        out = [m for m in out if m is not None and m.text]
        for m in out:
            self.pacer.put(m)
        return out

    def feed(self, event: Any) -> list[OutgoingMessage]:
        """Follow one Campfire event and queue what it says. Returns the queued messages."""
        group = self._room_group.get(event.room)
        if group is None and event.kind == "room_created":
            group = event.data.get("group")
        if group is None:
            return []
        st = self.state(group)
        if st.room != event.room:
            if event.kind != "room_created":
                return []  # an old room of this group: its news is stale
            st.reset(event.room, event.data.get("game", ""), "lobby", event.data.get("config", {}), [])
        self._room_group[event.room] = group
        st.apply(event.kind, event.data)
        to = event.to
        if to == "bots":
            return []
        lang = self.lang_of(group)
        kind = event.kind
        if kind == "player_joined" and st.status == "playing":
            kind = "late_joined"  # joining by answering: quieter (silent in song by default)
        text = self.renderer.render(lang, st, kind, event.data)
        if not text:
            return []
        attachment = attachment_type = None
        clip = event.data.get("clip") if st.game == "song" and kind == "round" else None
        link = clip_link(clip, self.audio_format) if isinstance(clip, dict) else None
        if link is not None:
            attachment, attachment_type = self.renderer.media_url(link[0]), link[1]
        if isinstance(to, (list, tuple)):
            out = [OutgoingMessage(group, text, member=p, private=True) for p in to]
        else:
            out = [OutgoingMessage(group, text, attachment=attachment, attachment_type=attachment_type)]
        for m in out:
            self.pacer.put(m)
        return out

    async def run(self, send: Send) -> None:
        """Deliver everything through ``send`` (paced) and follow the client's events until
        the client's event stream ends."""
        self.pacer.start(send)
        async for event in self.client.events():
            try:
                self.feed(event)
            except Exception:
                log.exception("could not render event %s", getattr(event, "kind", event))

    async def drain(self) -> None:
        await self.pacer.drain()

    async def close(self) -> None:
        await self.pacer.close()

    # --- commands ------------------------------------------------------------------
    async def _command(self, msg: IncomingMessage, intent: Intent) -> list[OutgoingMessage]:
        fn: Callable[..., Awaitable[list[OutgoingMessage]]] = getattr(self, f"_do_{intent.action}")
        return await fn(msg, intent.arg)

    async def _do_quiz(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        return await self._open(msg, "quiz")

    async def _do_spy(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        return await self._open(msg, "spy")

    async def _do_song(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        return await self._open(msg, "song")

    async def _open(self, msg: IncomingMessage, game: str) -> list[OutgoingMessage]:
        st = await self._current(msg.group)
        lang = self.lang_of(msg.group)
        if st.live:
            return [self._reply(msg, self.templates.render(lang, "reply.busy", title=title(lang, st.game)))]
        try:
            room = await self.client.create_room(msg.group, game, config=self._config_for(game, lang), lang=lang[:2])
        except Exception as exc:
            if getattr(exc, "code", None) != "group_busy":
                raise
            st = await self._current(msg.group, refresh=True)
            return [self._reply(msg, self.templates.render(lang, "reply.busy", title=title(lang, st.game)))]
        st = self._adopt(msg.group, room)
        # The creating connection watches from after room_created, so announce it here.
        opened = self.renderer.render(lang, st, "room_created", {"game": game, "group": msg.group})
        if opened:
            self.pacer.put(self._reply(msg, opened))
        await self.client.join(room.id, player=msg.member, name=msg.name)
        return await self._play_link(msg, room.id, game)

    async def _do_join(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        room = st.room
        await self.client.join(room, player=msg.member, name=msg.name)
        return await self._play_link(msg, room, st.game)

    async def _play_link(self, msg: IncomingMessage, room: str | None, game: str | None) -> list[OutgoingMessage]:
        """The member's own play-page link, privately (``play_links``): chat and page are the same room."""
        if not self.play_links or room is None:
            return []
        url = await self.client.play_link(room, msg.member, msg.name)
        lang = self.lang_of(msg.group)
        text = self.templates.render(lang, "reply.play_link", title=title(lang, game or ""), url=url)
        return [OutgoingMessage(msg.group, text, member=msg.member, private=True)] if text else []

    async def _do_leave(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        await self.client.leave(st.room, player=msg.member)
        return []

    async def _do_start(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        try:
            await self.client.start(st.room)
        except Exception as exc:
            if getattr(exc, "code", None) != "not_enough_players":
                raise
            minimum = await self._min_players(st.game or "")
            lang = self.lang_of(msg.group)
            return [self._reply(msg, self.templates.render(lang, "error.not_enough_players",
                                                           title=title(lang, st.game), min_players=minimum,
                                                           name=msg.name))]
        return []

    async def _do_stop(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        await self.client.close_room(st.room)
        return []

    async def _do_vote(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        target: str | None
        if arg and arg.startswith("@"):
            target = msg.mentions[0] if msg.mentions else None
        else:
            seat = seat_number(arg or "")
            target = st.player_at(seat) if seat is not None else None
            if target is None:
                return [self._reply(msg, self.templates.render(self.lang_of(msg.group), "reply.no_seat",
                                                               seat=seat if seat is not None else arg))]
        await self._act(st, msg.member, {"vote": target})
        return []

    async def _do_abstain(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        await self._act(st, msg.member, {"vote": None})
        return []

    async def _do_skip(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        await self._act(st, msg.member, {"skip": True})
        return []

    async def _do_guess(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        st = await self._need_room(msg)
        if st is None:
            return [self._no_room(msg)]
        # The raw words, not the case-folded command argument.
        text = msg.text.strip().lstrip("/!").strip()
        text = text.split(None, 1)[1] if " " in text else text[1:]
        action = {"guess": text.strip(" :：")} if st.game == "spy" else {"answer": text.strip(" :：")}
        await self._act(st, msg.member, action)
        return []

    async def _do_checkin(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        outcome = await self.client.checkin(msg.group, player=msg.member, name=msg.name)
        return [self._reply(msg, self._outcome_text(msg, "reply.checkin", outcome))]

    async def _do_makeup(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        lang = self.lang_of(msg.group)
        y, m, d = await self._today_in(msg.group)
        day = parse_day(arg or "", y, m, d)
        if day is None:
            return [self._reply(msg, self.templates.render(lang, "reply.bad_day", name=msg.name))]
        outcome = await self.client.makeup(msg.group, day, player=msg.member)
        return [self._reply(msg, self._outcome_text(msg, "reply.makeup", outcome))]

    async def _do_calendar(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        cal = await self.client.calendar(msg.group, player=msg.member)
        marks = {"checked": "✅", "made_up": "🟨", "missed": "▫️", "future": "·"}
        cells = [marks.get(d.get("status", ""), "·") for d in cal.get("days", [])]
        grid = "\n".join("".join(cells[i:i + 7]) for i in range(0, len(cells), 7))
        fields = {k: v for k, v in cal.items() if isinstance(v, (str, int))}
        return [self._reply(msg, self.templates.render(self.lang_of(msg.group), "reply.calendar",
                                                       name=msg.name, grid=grid, **fields))]

    async def _do_board(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        lang = self.lang_of(msg.group)
        game = game_word(arg) or "all"
        entries = await self.client.board(msg.group, game=game, period="all", limit=10)
        if not entries:
            return [self._reply(msg, self.templates.render(lang, "reply.board_empty"))]
        names = self._known_names(msg.group)
        lines = [self.templates.render(lang, "reply.board_line", rank=e.rank, name=names.get(e.member, e.member),
                                       score=_num(e.score)) or "" for e in entries]
        return [self._reply(msg, self.templates.render(lang, "reply.board", title=title(lang, game),
                                                       lines="\n".join(lines)))]

    async def _do_rules(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        lang = self.lang_of(msg.group)
        game = game_word(arg) or self.state(msg.group).game or "quiz"
        for meta in await self._games():
            if meta.get("name") == game:
                usage = (meta.get("usage") or {}).get(lang[:2]) or (meta.get("usage") or {}).get("en", "")
                return [self._reply(msg, self.templates.render(lang, "reply.rules", title=title(lang, game),
                                                               usage=usage))]
        return []

    async def _do_help(self, msg: IncomingMessage, arg: str | None) -> list[OutgoingMessage]:
        lang = self.lang_of(msg.group)
        lines = []
        for c in COMMANDS:
            word = example_for(c, lang)
            lines.append(self.templates.render(lang, "reply.help_line", word=word,
                                               help=help_text(c, lang)) or "")
        return [self._reply(msg, self.templates.render(lang, "reply.help", lines="\n".join(lines)))]

    # --- natural replies -----------------------------------------------------------
    async def _natural(self, msg: IncomingMessage) -> list[OutgoingMessage]:
        if msg.group not in self._synced:
            # First word from this group since the bot started: a game may be running already.
            self._synced.add(msg.group)
            await self._current(msg.group)
        st = self.groups.get(msg.group)
        if st is None or st.status != "playing":
            return []
        text = msg.text.strip()
        if not text:
            return []
        if st.game in ("quiz", "song") and st.phase == "question":
            answer = self._answer_value(st, text)
            if msg.member not in st.players():
                if st.game == "quiz" and not self._clearly_an_answer(st, text):
                    return []  # in song everyone shouts titles: any line joins
                await self.client.join(st.room, player=msg.member, name=msg.name)  # quiz takes late joiners
            await self._act(st, msg.member, {"answer": answer})
        elif st.game == "spy" and st.phase == "describe" and st.turn == msg.member:
            await self._act(st, msg.member, {"describe": text})
        elif st.game == "spy" and st.phase == "blank_guess" and st.guesser == msg.member:
            await self._act(st, msg.member, {"guess": text})
        return []

    def _choices(self, st: GroupState) -> list[str]:
        return list((st.question or {}).get("choices") or [])

    def _answer_value(self, st: GroupState, text: str) -> Any:
        """Seat-style numbers are 1-based in chat ("1" is the first choice), letters pass
        through, and a choice typed out in full is sent as typed."""
        choices = self._choices(st)
        if not choices:
            return text
        if any(text == c.strip() for c in choices):
            return text
        folded = unicodedata.normalize("NFKC", text.strip().upper().rstrip(".、)"))
        if folded.isdigit() and 1 <= int(folded) <= len(choices):
            return int(folded) - 1
        return folded if len(folded) == 1 and folded in LETTERS[:len(choices)] else text

    def _clearly_an_answer(self, st: GroupState, text: str) -> bool:
        choices = self._choices(st)
        if not choices:
            return False  # a stranger's chatter during a text question is not an answer
        value = self._answer_value(st, text)
        return isinstance(value, int) or (isinstance(value, str) and (value in LETTERS or value in choices))

    # --- helpers -------------------------------------------------------------------
    def _config_for(self, game: str, lang: str) -> dict[str, Any]:
        """The operator's settings for the game; content in the group's language unless
        they chose otherwise (a Chinese group should not get English questions)."""
        config = dict(self.game_config.get(game, {}))
        if game in ("quiz", "spy") and lang[:2] in ("zh", "en"):
            config.setdefault("lang", lang[:2])
        return config

    async def _act(self, st: GroupState, member: str, action: dict[str, Any]) -> None:
        await self.client.act(st.room, action, player=member)

    def _adopt(self, group: str, room: Any) -> GroupState:
        st = self.state(group)
        if st.room != room.id:
            st.reset(room.id, room.game, room.status, dict(room.config),
                     [(m.player, m.name) for m in room.players])
        self._room_group[room.id] = group
        return st

    async def _current(self, group: str, refresh: bool = False) -> GroupState:
        """The group's state; asks the server when the bridge knows of no live room (say,
        after the bot restarted mid-game)."""
        st = self.state(group)
        self._synced.add(group)
        if st.live and not refresh:
            return st
        rooms = await self.client.rooms(group=group, live=True)
        if not rooms:
            if st.live:
                st.status = "closed"
            return st
        room = rooms[-1]
        if room.id != st.room:
            watched = await self.client.watch(room.id)
            self._adopt(group, watched)
            if watched.status == "playing":
                view = await self.client.view(room.id)
                st.apply_view(view.get("view"))
        return st

    async def _need_room(self, msg: IncomingMessage) -> GroupState | None:
        st = await self._current(msg.group)
        return st if st.live else None

    def _no_room(self, msg: IncomingMessage) -> OutgoingMessage:
        return self._reply(msg, self.templates.render(self.lang_of(msg.group), "reply.no_room"))

    def _reply(self, msg: IncomingMessage, text: str | None) -> OutgoingMessage:
        return OutgoingMessage(msg.group, text or "")

    def _error_text(self, msg: IncomingMessage, code: str, message: str) -> str | None:
        lang = self.lang_of(msg.group)
        key = f"error.{code}" if self.templates.has(lang, f"error.{code}") else "error"
        st = self.groups.get(msg.group)
        return self.templates.render(lang, key, name=msg.name, message=message, code=code,
                                     title=title(lang, st.game if st else None), min_players="")

    def _outcome_text(self, msg: IncomingMessage, key: str, outcome: Any) -> str | None:
        lang = self.lang_of(msg.group)
        fields = {k: getattr(outcome, k) for k in ("already", "day", "streak", "longest", "points",
                                                   "total_points", "total_days", "cards_left", "made_up")
                  if hasattr(outcome, k)}
        message = getattr(outcome, "message", {}) or {}
        return self.templates.render(lang, key, name=msg.name, message=message.get(lang) or message.get(lang[:2]) or message.get("en", ""),
                                     **fields)

    async def _today_in(self, group: str) -> tuple[int, int, int]:
        """The date in the group's timezone ("补签 11-20" on 1 January means last year's)."""
        if self._today is not None:
            return self._today()
        if group not in self._zones:
            try:
                self._zones[group] = (await self.client.group(group)).get("timezone")
            except Exception:
                self._zones[group] = None
        zone_name = self._zones[group]
        try:
            now = datetime.now(ZoneInfo(zone_name)) if zone_name else datetime.now()
        except Exception:  # an unknown zone, or no tz database on this host
            now = datetime.now()
        return now.year, now.month, now.day

    def _known_names(self, group: str) -> dict[str, str]:
        st = self.groups.get(group)
        names = dict(self._names.get(group, {}))
        if st:
            names.update(dict(st.seats))
        return names

    def remember(self, msg: IncomingMessage) -> None:
        self._names.setdefault(msg.group, {})[msg.member] = msg.name

    async def _games(self) -> list[dict[str, Any]]:
        if self._games_meta is None:
            self._games_meta = await self.client.games()
        return self._games_meta

    async def _min_players(self, game: str) -> int | str:
        for meta in await self._games():
            if meta.get("name") == game:
                return int(meta.get("min_players", 1))
        return ""


def _num(score: Any) -> Any:
    return int(score) if isinstance(score, float) and score.is_integer() else score
