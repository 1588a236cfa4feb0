"""Clips for sample grids, spread over the videos of a split and over time in each."""

from __future__ import annotations

import numpy as np
from vpkit_youtube.folder import FolderSource

from vpkit import ClipSpec, ClipWriter
from vpkit.data.clips import ClipDataset
from vpkit.data.spread import spread_over_inputs

CLIP = ClipSpec(8, 16)


def counts_only(*sizes):
    """A dataset of shards of these sizes (spread reads only the sizes, never the files)."""
    return ClipDataset([], list(sizes), CLIP)


def test_one_row_per_video_in_turn_from_the_middles_of_each():
    assert spread_over_inputs(counts_only(10, 4, 6), 3) == [5, 12, 17]
    assert spread_over_inputs(counts_only(10, 4, 6), 6) == [2, 11, 15, 7, 13, 18]
    assert spread_over_inputs(counts_only(1, 2), 8) == [0, 1, 2]  # asked for more than there are


def test_more_videos_than_rows_are_spread_over_too():
    picks = spread_over_inputs(counts_only(*[3] * 20), 4)
    assert [p // 3 for p in picks] == [0, 6, 13, 19]


def test_grid_clips_of_real_footage_come_from_every_video(tmp_path, real_footage):
    writer = ClipWriter(tmp_path, CLIP, {"folder": str(real_footage)})
    FolderSource(FolderSource.Config(path=str(real_footage), fps=[25], stride=2, val_fraction=0), CLIP).prepare(writer)
    train = writer.finish().split("train")
    provenance = [p for shard in writer.manifest["shards"] for p in shard["provenance"]]
    picks = spread_over_inputs(train, 8)
    videos = [provenance[i]["video_id"] for i in picks]
    assert len(set(videos[:6])) == 6 and len(picks) == 8  # each of the six shots, then two again
    assert len(set(videos)) == 6
    again = [provenance[i] for i in picks if provenance[i]["video_id"] == videos[0]]
    assert len({p["start"] for p in again}) == 2  # a second row of a video is another moment of it
    assert not np.array_equal(*train.gather([picks[0], picks[6]]))
    assert [provenance[i]["video_id"] for i in range(8)].count(provenance[0]["video_id"]) == 8  # the old way
