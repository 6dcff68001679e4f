"""The production settings of .streamlit/config.toml: every key is one the installed Streamlit knows (an unknown
key is only a warning at start, so a typo would pass unnoticed), and the module watcher, run-on-save and the forced collection after each run are off."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def _keys(table: dict, prefix: str = "") -> list[str]:
    out = []
    for name, value in table.items():
        key = f"{prefix}{name}"
        # theme sub-tables ([theme.light] …) are sections of their own; everything else is an option
        if isinstance(value, dict):
            out += _keys(value, key + ".")
        else:
            out.append(key)
    return out


CONFIGURED = tomllib.loads(CONFIG.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", _keys(CONFIGURED))
def test_every_key_is_known_to_the_installed_streamlit(key):
    from streamlit import config

    assert key in config.get_config_options(), f"{key} is not a Streamlit {__import__('streamlit').__version__} option"


@pytest.mark.parametrize("section,key,value", [("server", "fileWatcherType", "none"), ("server", "runOnSave", False),
                                               ("runner", "postScriptGC", False)])
def test_production_serving_settings(section, key, value):
    assert CONFIGURED[section][key] == value


def test_the_installed_streamlit_reads_them(monkeypatch):
    """Streamlit itself, reading the project's file (found from the working directory, as `streamlit run` does),
    ends with the watcher and run-on-save off."""
    from streamlit import config

    monkeypatch.chdir(CONFIG.parent.parent)
    options = config.get_config_options(force_reparse=True, options_from_flags={})
    assert options["server.fileWatcherType"].value == "none"
    assert options["server.runOnSave"].value is False
    assert options["runner.postScriptGC"].value is False  # no full collection after every run (README "Load test")
