"""Launch links (server/play/links.py): signed, short-lived, bound to app, group, room and
member, and never interchangeable with player tokens (docs/play.md)."""
from __future__ import annotations

import base64
import json

import pytest

from server.auth import Auth
from server.play.links import KEY_PURPOSE, Launch, LinkRefused, read, sign
from server.protocol import ProtocolError

NOW = 1_767_225_600.0
KEY = b"k" * 32
LAUNCH = Launch(app="app_1", group="g1", room="room_1", player="u1", name="Alice 🦊", expires_at=int(NOW + 900))


def test_a_signed_link_reads_back_as_the_same_launch() -> None:
    assert read(KEY, sign(KEY, LAUNCH), NOW) == LAUNCH


def test_the_compact_form_for_telegram_start_params_reads_back_too() -> None:
    ticket = sign(KEY, LAUNCH, compact=True)
    assert "." not in ticket and all(c.isalnum() or c in "_-" for c in ticket)
    assert read(KEY, ticket, NOW) == LAUNCH


def test_a_link_past_its_expiry_is_refused_as_expired() -> None:
    with pytest.raises(LinkRefused) as refused:
        read(KEY, sign(KEY, LAUNCH), LAUNCH.expires_at + 1)
    assert refused.value.code == "link_expired"


def test_a_link_signed_by_another_server_is_refused() -> None:
    with pytest.raises(LinkRefused) as refused:
        read(KEY, sign(b"x" * 32, LAUNCH), NOW)
    assert refused.value.code == "link_invalid"


def test_a_link_whose_member_was_changed_is_refused() -> None:
    ticket = sign(KEY, LAUNCH)
    body, sig = ticket[4:].split(".")
    raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw["p"] = "u2"
    forged_body = base64.urlsafe_b64encode(json.dumps(raw).encode()).rstrip(b"=").decode()
    with pytest.raises(LinkRefused) as refused:
        read(KEY, f"cfl_{forged_body}.{sig}", NOW)
    assert refused.value.code == "link_invalid"


@pytest.mark.parametrize("ticket", ["", "cfl_", "cfl_%%%.%%%", "hello", "cfl_" + "A" * 3000, None, 42])
def test_malformed_tickets_are_refused_with_a_code_not_an_exception(ticket: object) -> None:
    with pytest.raises(LinkRefused) as refused:
        read(KEY, ticket, NOW)
    assert refused.value.code == "link_invalid"


def test_a_player_token_is_not_a_launch_link_and_a_launch_link_is_not_a_player_token() -> None:
    auth = Auth(store=None, secret=b"s" * 32)  # type: ignore[arg-type]  # signing needs no store
    token = auth.mint("app_1", "g1", "u1", "Alice", 3600, NOW)
    with pytest.raises(LinkRefused):
        read(auth.derive(KEY_PURPOSE), "cfl_" + token[4:], NOW)
    link = sign(auth.derive(KEY_PURPOSE), LAUNCH)
    with pytest.raises(ProtocolError) as refused:
        auth.verify("cfp_" + link[4:], NOW)
    assert refused.value.code == "unauthorized"
