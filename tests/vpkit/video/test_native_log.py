"""Native decoders' own log lines reach the debug log, not the terminal (checked at the file descriptor)."""

from __future__ import annotations

import logging
import os
import sys

import pytest

from vpkit import ClipSpec, ExtractOptions, VideoError, extract_clips, read_video
from vpkit.video.native_log import native_logs_to_debug


@pytest.mark.parametrize("name", ["text", "truncated"])
def test_a_broken_file_prints_nothing_native(media, name, capfd, caplog):
    with caplog.at_level(logging.DEBUG, logger="vpkit.video"), pytest.raises(VideoError):
        extract_clips(media[name], ClipSpec(8, 32), ExtractOptions())
    assert capfd.readouterr().err == ""
    native = [r.getMessage() for r in caplog.records if r.name == "vpkit.video"]
    assert any("video_reader.cc" in line or "moov atom not found" in line for line in native), native


def test_reading_and_extracting_real_footage_prints_nothing(real_footage, capfd):
    extract_clips(real_footage / "bikes-shot3.mp4", ClipSpec(8, 32), ExtractOptions(fps=[25], stride=1))
    read_video(real_footage / "carphone.mp4")
    assert capfd.readouterr().err == ""


def test_only_native_output_is_taken(capfd, caplog):
    print("before", file=sys.stderr)
    with caplog.at_level(logging.DEBUG, logger="vpkit.video"), native_logs_to_debug():
        os.write(2, b"[h264 @ 0x5555] decode_slice_header error\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "before\nafter\n"
    assert [r.getMessage() for r in caplog.records] == ["native decoder: [h264 @ 0x5555] decode_slice_header error"]
