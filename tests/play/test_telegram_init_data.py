"""Telegram Web App ``initData`` (server/play/telegram.py), checked against Telegram's documented
algorithm ("Validating data received via the Mini App"), written out again here step by step
from the documentation so the test does not share code with what it tests."""
from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest

from server.play.links import LinkRefused
from server.play.telegram import check_init_data, webapp_key

BOT_TOKEN = "123456789:AAE-test-token-for-campfire"
NOW = 1_767_225_600.0
USER = {"id": 279058397, "first_name": "Vladislav", "last_name": "K", "username": "vdkfrost", "language_code": "ru"}


def _init_data(fields: dict[str, str], token: str = BOT_TOKEN) -> str:
    """Telegram's algorithm: data_check_string = the fields sorted by key as "key=value" lines;
    secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token); hash = hex HMAC_SHA256(secret_key, dcs)."""
    data_check_string = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret_key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret_key, data_check_string.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def _fields(**extra: str) -> dict[str, str]:
    return {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": json.dumps(USER, separators=(",", ":")),
            "auth_date": str(int(NOW) - 60), **extra}


def test_init_data_signed_with_the_bots_token_names_the_user() -> None:
    user = check_init_data(_init_data(_fields(start_param="cfl_abc")), webapp_key(BOT_TOKEN), NOW, 86400)
    assert user.id == "279058397" and user.name == "Vladislav K" and user.language == "ru"
    assert user.start_param == "cfl_abc"


def test_init_data_signed_with_another_bots_token_is_refused() -> None:
    with pytest.raises(LinkRefused) as refused:
        check_init_data(_init_data(_fields(), token="987:other"), webapp_key(BOT_TOKEN), NOW, 86400)
    assert refused.value.code == "telegram_invalid"


def test_init_data_with_a_field_changed_after_signing_is_refused() -> None:
    signed = _init_data(_fields())
    tampered = signed.replace("279058397", "279058398")
    with pytest.raises(LinkRefused) as refused:
        check_init_data(tampered, webapp_key(BOT_TOKEN), NOW, 86400)
    assert refused.value.code == "telegram_invalid"


def test_init_data_older_than_the_limit_is_refused_as_expired() -> None:
    old = _init_data(_fields(auth_date=str(int(NOW) - 86401)))
    with pytest.raises(LinkRefused) as refused:
        check_init_data(old, webapp_key(BOT_TOKEN), NOW, 86400)
    assert refused.value.code == "telegram_expired"


def test_signed_init_data_without_a_user_is_refused() -> None:
    fields = _fields()
    del fields["user"]
    with pytest.raises(LinkRefused) as refused:
        check_init_data(_init_data(fields), webapp_key(BOT_TOKEN), NOW, 86400)
    assert refused.value.code == "telegram_invalid"


@pytest.mark.parametrize("raw", ["", "hash=", "a=b&&&", "x" * 5000, None, "user=%7B&hash=00"])
def test_malformed_init_data_is_refused_with_a_code(raw: object) -> None:
    with pytest.raises(LinkRefused) as refused:
        check_init_data(raw, webapp_key(BOT_TOKEN), NOW, 86400)
    assert refused.value.code == "telegram_invalid"
