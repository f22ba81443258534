"""One declaration of each bounded option: the command line, the config file and the API agree."""

from __future__ import annotations

import click
import pytest

from a11y.ci.config import ConfigError, validate
from a11y.cli import audit as audit_command
from a11y.settings import OPTIONS, Settings


def _cli_param(key: str) -> click.Option:
    return next(p for p in audit_command.params if isinstance(p, click.Option) and p.name == key)


@pytest.mark.parametrize("key", sorted(OPTIONS))
def test_the_command_line_and_the_config_file_take_the_same_values(key: str) -> None:
    option, param = OPTIONS[key], _cli_param(key)
    assert param.default == option.default and param.help == option.help
    if option.choices:
        assert tuple(param.type.choices) == option.choices  # type: ignore[attr-defined]
        assert validate({key: option.choices[0]}, "t")[key] == option.choices[0]
        with pytest.raises(ConfigError, match=key):
            validate({key: "nope"}, "t")
        return
    assert (param.type.min, param.type.max) == (option.low, option.high)  # type: ignore[attr-defined]
    assert validate({key: option.low}, "t")[key] == option.low and validate({key: option.high}, "t")[key] == option.high
    for outside in (option.low - 1, option.high + 1):  # type: ignore[operator]
        with pytest.raises(ConfigError, match=key):
            validate({key: outside}, "t")


def test_max_per_host_zero_means_no_limit_everywhere() -> None:
    # the CLI took 0..64 while the config file took 1..64
    assert validate({"max_per_host": 0}, "a11y.toml") == {"max_per_host": 0}
    assert Settings().max_per_host == OPTIONS["max_per_host"].default == 0


def test_settings_defaults_are_the_declared_ones() -> None:
    settings = Settings()
    assert (settings.timeout_s, settings.settle_ms, settings.standard) == (
        OPTIONS["timeout"].default, OPTIONS["settle_ms"].default, OPTIONS["standard"].default)
