"""Settings come from defaults, a TOML file, CAMPFIRE_* variables and flags; a bad value
anywhere is refused with a message naming the setting."""
from __future__ import annotations

from pathlib import Path

import pytest

from server.cli import main
from server.config import ConfigFileError, Settings, load_settings


def test_defaults_apply_without_any_source() -> None:
    assert load_settings(env={}) == Settings()


def test_a_toml_file_sets_values_and_flags_override_it(tmp_path: Path) -> None:
    path = tmp_path / "campfire.toml"
    path.write_text("[campfire]\nport = 9000\nmax_frame_bytes = 1024\n")
    settings = load_settings(str(path), env={}, overrides={"port": 9100})
    assert settings.max_frame_bytes == 1024 and settings.port == 9100


def test_environment_variables_are_read_and_coerced() -> None:
    settings = load_settings(env={"CAMPFIRE_FRAMES_PER_SECOND": "12.5", "CAMPFIRE_DEMO": "yes"})
    assert settings.frames_per_second == 12.5 and settings.demo is True


@pytest.mark.parametrize("text, fragment", [
    ("[campfire]\nport = 'eighty'\n", "'port' must be int"),
    ("[campfire]\ncolour = 'red'\n", "unknown setting 'colour'"),
    ("[campfire]\nmax_frame_bytes = -1\n", "'max_frame_bytes' must be positive"),
    ("[campfire\n", "not valid TOML"),
])
def test_a_bad_config_file_names_the_problem(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigFileError, match=fragment):
        load_settings(str(path), env={})


def test_serve_refuses_to_start_on_a_bad_config_with_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[campfire]\nport = 'eighty'\n")
    assert main(["serve", "--config", str(path)]) == 2
    assert "'port' must be int" in capsys.readouterr().err


def test_a_missing_config_file_is_named() -> None:
    with pytest.raises(ConfigFileError, match="no such file"):
        load_settings("/nonexistent/campfire.toml", env={})
