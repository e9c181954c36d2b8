"""Health settings (server/scoring/health_settings.py): validation, defaults, and a group's
value over its app's over the default."""
from __future__ import annotations

import pytest

from server.scoring import health_settings as hs


def test_a_group_overrides_its_app_which_overrides_the_default() -> None:
    app = {"activity_weights": {"message": 0.5}, "health": {"message_cap": 5, "cooling_share": 0.7}}
    group = {"health": {"message_cap": 2, "activity_weights": {"checkin": 3}}}
    s = hs.effective(app, group)
    assert (s.message_cap, s.cooling_share, s.dormant_days) == (2, 0.7, 14)
    assert s.activity_weights == {**hs.DEFAULTS.activity_weights, "message": 0.5, "checkin": 3.0}


@pytest.mark.parametrize("change, field", [
    ({"cooling_share": 2}, "cooling_share"), ({"message_cap": 1.5}, "message_cap"),
    ({"activity_weights": {"hug": 1}}, "activity_weights"), ({"activity_weights": {"won": -1}}, "activity_weights.won"),
    ({"dormant_days": True}, "dormant_days"), ({"half_life": 7}, "half_life"),
])
def test_bad_settings_are_refused_naming_the_field(change: dict, field: str) -> None:
    with pytest.raises(ValueError) as err:
        hs.validate(change)
    assert err.value.args[0] == field


def test_app_changes_keep_weights_and_half_life_where_the_result_path_reads_them() -> None:
    out = hs.split_for_app({"seasons": []}, hs.validate({"activity_half_life_days": 14, "risk_gaps": 3}))
    assert out == {"seasons": [], "activity_half_life_days": 14.0, "health": {"risk_gaps": 3.0}}
    assert hs.split_for_app(out, {"activity_half_life_days": None, "risk_gaps": None}) == {"seasons": []}


def test_values_stored_before_validation_are_ignored_one_by_one() -> None:
    s = hs.effective({"health": {"cooling_share": "high", "dormant_days": 30, "risk_share": 0.25}}, {})
    assert (s.cooling_share, s.dormant_days) == (0.8, 30)
