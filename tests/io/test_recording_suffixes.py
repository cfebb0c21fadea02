"""One list of recording file kinds, used by the CLI, batch and the web upload check."""

import pytest

from liftrisk import pipeline
from liftrisk.batch import runner
from liftrisk.errors import UnknownFormatError
from liftrisk.io import MOTION_SUFFIXES, VIDEO_SUFFIXES, is_video
from liftrisk.web import uploads


def test_one_list_everywhere():
    assert runner.VIDEO_SUFFIXES is VIDEO_SUFFIXES and runner.MOTION_SUFFIXES is MOTION_SUFFIXES
    assert pipeline.is_video is is_video
    assert set(uploads.ALLOWED_SUFFIXES) == set(VIDEO_SUFFIXES) | set(MOTION_SUFFIXES)
    assert set(VIDEO_SUFFIXES) <= set(uploads.MIME_BY_SUFFIX)  # every video kind has its upload check
    assert all(s == s.lower() and s.startswith(".") for s in VIDEO_SUFFIXES + MOTION_SUFFIXES)


@pytest.mark.parametrize(("name", "head"), [
    ("a.3gp", b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00"),  # ISO BMFF 'ftyp' box, brand 3gp4
    ("a.mpg", b"\x00\x00\x01\xba\x44\x00\x04\x00\x04\x01"),  # MPEG-2 program stream pack header
    ("a.mpeg", b"\x00\x00\x01\xb3\x16\x00\xf0\x13"),  # MPEG-1 video sequence header
])
def test_upload_content_check_knows_every_video_kind(name, head):
    uploads.check_content(name, "." + name.split(".")[1], head, 1000)
    with pytest.raises(UnknownFormatError, match="not a"):
        uploads.check_content(name, "." + name.split(".")[1], b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, 1000)
