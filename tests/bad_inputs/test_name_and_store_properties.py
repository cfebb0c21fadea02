"""Hypothesis properties of the upload boundary: any user file name is reduced to one safe
path component, and the content-addressed store gives the same file for the same bytes
however they are chunked, and never changes a stored file."""

from __future__ import annotations

import hashlib
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liftrisk.store.blobs import put_chunks
from liftrisk.web.uploads import safe_filename


@settings(max_examples=300, deadline=None)
@given(name=st.text(max_size=300))
def test_safe_filename_is_one_harmless_component(name):
    safe = safe_filename(name)
    assert 1 <= len(safe) <= 120
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert safe not in (".", "..") and not safe.startswith((".", " "))
    # letters/digits of any script (non-ASCII names are kept), never a control, format or bidi character
    assert all(c in "._ -()+" or (c.isalnum() and unicodedata.category(c)[0] in "LN") for c in safe)
    assert safe_filename(safe) == safe  # idempotent


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=5000), cuts=st.lists(st.integers(0, 5000), max_size=8))
def test_same_bytes_any_chunking_same_stored_file(tmp_path, data, cuts):
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    chunks = [data[a:b] for a, b in zip(points, points[1:], strict=False)]
    first = put_chunks(tmp_path, [data], ".trc")
    again = put_chunks(tmp_path, chunks, ".trc")
    assert again.path == first.path and again.sha256 == hashlib.sha256(data).hexdigest()
    assert first.path.read_bytes() == data
    assert not [p for p in tmp_path.rglob(".incoming*")]
