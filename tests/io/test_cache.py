"""On-disk cache of computed results: round trip, keys, unreadable entries, the folder."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.io.cache import cache_entry_path, default_cache_dir, read_cache_entry, write_cache_entry

KEY = "0123456789abcdef" * 4


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8),
                       st.floats(allow_nan=False, allow_infinity=False) | st.lists(st.floats(-1e300, 1e300), max_size=5)
                       | st.text(max_size=10), max_size=5))
def test_entries_round_trip_exactly(tmp_path_factory, payload):
    folder = tmp_path_factory.mktemp("cache")
    path = write_cache_entry(folder, "demo", KEY, payload)
    assert path == folder / "demo" / f"{KEY}.json"
    assert read_cache_entry(folder, "demo", KEY) == (payload, "")   # floats bit for bit (JSON repr)


def test_missing_unreadable_and_foreign_entries_are_none_with_the_reason(tmp_path):
    assert read_cache_entry(tmp_path, "demo", KEY) == (None, "no entry")
    path = cache_entry_path(tmp_path, "demo", KEY)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    entry, why = read_cache_entry(tmp_path, "demo", KEY)
    assert entry is None and str(path) in why and "JSONDecodeError" in why
    path.write_text(json.dumps({"key": "f" * 64, "payload": {"a": 1}}), encoding="utf-8")   # another key's entry
    entry, why = read_cache_entry(tmp_path, "demo", KEY)
    assert entry is None and "does not hold an entry" in why
    write_cache_entry(tmp_path, "demo", KEY, {"a": 2})   # replaced
    assert read_cache_entry(tmp_path, "demo", KEY) == ({"a": 2}, "")
    assert [p.name for p in path.parent.iterdir()] == [path.name]   # no temporary file left


@pytest.mark.parametrize(("kind", "key"), [("../up", KEY), ("demo", "../../etc/passwd"), ("demo", "ABC" * 8),
                                           ("", KEY), ("demo", "abc")])
def test_kinds_and_keys_cannot_leave_the_folder(tmp_path, kind, key):
    with pytest.raises(ValueError, match="expected"):
        cache_entry_path(tmp_path, kind, key)


def test_non_finite_numbers_are_refused(tmp_path):
    with pytest.raises(ValueError):
        write_cache_entry(tmp_path, "demo", KEY, {"x": float("nan")})


def test_the_folder_follows_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("LIFTRISK_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("LIFTRISK_CACHE_DIR")
    assert default_cache_dir().name in ("liftrisk", "Cache")   # platformdirs: ~/.cache/liftrisk on Linux
