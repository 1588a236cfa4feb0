"""Clip extraction on real video files made with ffmpeg (see the ``media`` fixture)."""

from __future__ import annotations

import decord
import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError

from vpkit import ClipSpec, ExtractOptions, VideoError, extract_clips, read_video
from vpkit.video.extract import plan_windows
from vpkit.video.scenecut import cut_scores

CLIP = ClipSpec(8, 32)


def extract(path, clip=CLIP, **options):
    return extract_clips(path, clip, ExtractOptions(**options))


@pytest.mark.parametrize("fps, clips, starts", [(24, 9, [0, 1 / 3, 2 / 3]), (8, 3, [0, 1, 2]), (4, 1, [0])])
def test_clip_counts_and_starts_at_each_rate(media, fps, clips, starts):
    # plain.mp4: 3 s at 24 fps = 72 frames; 8-frame clips, no overlap
    result = extract(media["plain"], fps=fps)
    assert result.clips.shape == (clips, 8, 32, 32, 3)
    assert result.clips.dtype == np.uint8
    assert [w.start for w in result.windows][:3] == pytest.approx(starts, abs=1e-3)
    assert all(w.fps == fps for w in result.windows)


def test_several_rates_give_clips_at_each(media):
    result = extract(media["plain"], fps=[4, 8, 24])
    assert [w.fps for w in result.windows].count(8) == 3
    assert len(result.clips) == 1 + 3 + 9


def test_lower_rates_take_every_kth_frame(media):
    every = extract(media["plain"], fps=24).clips.reshape(72, 32, 32, 3)
    third = extract(media["plain"], fps=8).clips.reshape(24, 32, 32, 3)
    assert np.array_equal(third, every[::3])


def test_stride_overlaps_clips(media):
    assert len(extract(media["plain"], fps=24, stride=4).clips) == 17  # starts 0, 4, ..., 64


def test_cap_spreads_clips_through_the_video(media):
    result = extract(media["plain"], fps=24, stride=1, max_clips_per_video=5)
    assert [round(w.start * 24) for w in result.windows] == [0, 16, 32, 48, 64]


def test_short_side_resized_and_centre_cropped(media):
    native = decord.VideoReader(str(media["wide"])).get_batch(list(range(8))).asnumpy()  # 48x96
    clip = extract(media["wide"], clip=ClipSpec(8, 48), fps=24).clips[0]
    assert clip.shape == (8, 48, 48, 3)
    assert np.array_equal(clip, native[:, :, 24:72])
    assert extract(media["wide"], clip=ClipSpec(8, 16), fps=24).clips.shape[2:] == (16, 16, 3)


def test_real_footage(media):
    # Big Buck Bunny: 1280x720, 25 fps, 132 frames; its shots have no hard cuts in these clips
    result = extract(media["bunny"], clip=ClipSpec(32, 64), fps=25)
    assert result.clips.shape == (4, 32, 64, 64, 3)


def test_clips_across_a_scene_cut_are_dropped(media):
    # cut.mp4: a hard cut at 1.5 s = frame 36, inside the fifth 8-frame clip (frames 32-39)
    kept = extract(media["cut"], fps=24)
    assert len(kept.clips) == 8
    assert 32 / 24 not in [w.start for w in kept.windows]
    assert len(extract(media["cut"], fps=24, drop_scene_cuts=False).clips) == 9
    assert len(extract(media["cut"], fps=24, scene_cut_threshold=0.95).clips) == 9


def test_cut_scores_see_the_cut_and_not_the_motion(media):
    frames = decord.VideoReader(str(media["cut"])).get_batch(list(range(72))).asnumpy()
    scores = cut_scores(frames)
    assert scores.argmax() == 35
    assert scores[35] > 0.5 and np.delete(scores, 35).max() < 0.2


def test_short_video_is_padded_with_its_last_frame(media):
    # short.mp4: 0.25 s = 6 frames, fewer than one 8-frame clip
    native = decord.VideoReader(str(media["short"])).get_batch(list(range(6))).asnumpy()[:, :, 8:56]
    [clip] = extract(media["short"], clip=ClipSpec(8, 48), fps=24).clips
    assert np.array_equal(clip, native[[0, 1, 2, 3, 4, 5, 5, 5]])


def test_short_video_can_be_skipped(media):
    with pytest.raises(VideoError, match="shorter than one clip"):
        extract(media["short"], fps=24, short_videos="skip")


@pytest.mark.parametrize(
    "name, message",
    [
        ("truncated", "cannot decode"),
        ("truncated_faststart", "cannot decode"),
        ("empty", "empty file"),
        ("text", "cannot decode"),
    ],
)
def test_broken_files_raise_video_error(media, name, message):
    with pytest.raises(VideoError, match=message) as info:
        extract(media[name])
    assert str(media[name].parent) not in str(info.value)  # short: no full path


def test_missing_file_raises_video_error(tmp_path):
    with pytest.raises(VideoError, match="cannot read"):
        extract(tmp_path / "gone.mp4")


def test_options_validate():
    assert ExtractOptions(fps=10).fps == [10.0]
    assert ExtractOptions(fps=[16, 8, 8]).fps == [8.0, 16.0]
    for bad in (
        {"fps": []},
        {"fps": [0]},
        {"fps": [8, 1e300]},
        {"stride": 0},
        {"val_fraction": 1},
        {"short_videos": "loop"},
    ):
        with pytest.raises(ValidationError):
            ExtractOptions(**bad)


def test_plan_pads_per_rate():
    windows = plan_windows(10, 10.0, ClipSpec(8, 32), ExtractOptions(fps=[5, 10]))
    assert [(w.fps, list(w.frames)) for w in windows] == [
        (5.0, [0, 2, 4, 6, 8, 8, 8, 8]),
        (10.0, [0, 1, 2, 3, 4, 5, 6, 7]),
    ]


ASPECTS = {"3:2": "96x64", "4:3": "64x48", "16:9": "128x72", "1:1": "64x64", "9:16": "72x128", "21:9": "168x72"}


@pytest.fixture(scope="module")
def aspects(tmp_path_factory, make_video):
    """One second of ffmpeg's testsrc2 at each common aspect ratio, H.264 at 24 fps."""
    root = tmp_path_factory.mktemp("aspects")
    return {name: make_video(root / f"{size}.mp4", size=size, extra=("-crf", "18")) for name, size in ASPECTS.items()}


def reference(path, size, frames=8):
    """The first clip as it should come out: native frames, short side resized with Pillow, centre crop."""
    native = read_video(path)[:frames]
    height, width = native.shape[1:3]
    scale = size / min(height, width)
    shape = (max(size, round(height * scale)), max(size, round(width * scale)))
    resized = np.stack([np.asarray(Image.fromarray(f).resize(shape[::-1], Image.Resampling.BILINEAR)) for f in native])
    top, left = (shape[0] - size) // 2, (shape[1] - size) // 2
    return resized[:, top : top + size, left : left + size]


@pytest.mark.parametrize("aspect", ASPECTS)
def test_every_common_aspect_ratio_gives_clips_at_every_size(aspects, aspect):
    # decord cannot scale to widths of 16, 24, 48 or 72 pixels: 3:2 at 32, 4:3 at 36 and 1:1 at 16 used to give nothing
    for size in (16, 24, 32, 36, 48, 54):
        clips = extract(aspects[aspect], clip=ClipSpec(8, size), fps=24, drop_scene_cuts=False).clips
        assert clips.shape == (3, 8, size, size, 3), (aspect, size)
        difference = np.abs(clips[0].astype(int) - reference(aspects[aspect], size)).mean()
        assert difference < 16, f"{aspect} at {size}: mean difference {difference:.1f} from the expected pixels"


def test_footage_decord_cannot_open_is_read_with_ffmpeg(tmp_path, aspects, make_video):
    # AV1 in WebM: decord finds no video stream; ffmpeg decodes it
    av1 = make_video(tmp_path / "av1.webm", size="96x64", codec="libaom-av1", extra=("-cpu-used", "8", "-crf", "20"))
    with pytest.raises(decord.DECORDError):
        decord.VideoReader(str(av1))
    result = extract(av1, clip=ClipSpec(8, 32), fps=[8, 24], drop_scene_cuts=False)
    assert result.clips.shape == (4, 8, 32, 32, 3)
    assert [w.fps for w in result.windows] == [8, 24, 24, 24]
    assert np.abs(result.clips[1].astype(int) - reference(aspects["3:2"], 32)).mean() < 16


def test_vp9_webm_gives_clips(tmp_path, make_video):
    vp9 = make_video(tmp_path / "vp9.webm", size="96x64", codec="libvpx-vp9", extra=("-b:v", "200k"))
    assert extract(vp9, clip=ClipSpec(8, 32), fps=24).clips.shape[1:] == (8, 32, 32, 3)


@pytest.mark.parametrize(
    "name, reason, detail",
    [
        (
            "text",
            "cannot decode (not a video, or a codec neither decord nor ffmpeg reads)",
            "decord: Error reading text.mp4; "
            "ffmpeg: Error opening input files: Invalid data found when processing input",
        ),
        ("truncated_faststart", "cannot decode all frames (truncated?)", "1 of 72 frames decode; decord: "),
        ("short", "shorter than one clip", "0.2 s"),
    ],
)
def test_skip_reasons_are_short_and_the_detail_is_kept_apart(media, name, reason, detail):
    with pytest.raises(VideoError) as err:
        extract(media[name], fps=24, short_videos="skip")
    assert str(err.value) == reason
    assert err.value.detail.startswith(detail) and "[" not in err.value.detail  # no decord log prefix


# --- crops: which squares of the frame become clips, and how big


def native_square(path, crop, size, frames=8):
    """The first frames' square ``crop`` (left, top, side, in native pixels) resized to ``size``, with Pillow."""
    left, top, side = crop
    native = read_video(path)[:frames, top : top + side, left : left + side]
    return np.stack([np.asarray(Image.fromarray(f).resize((size, size), Image.Resampling.BILINEAR)) for f in native])


def mismatch(clip, expected):
    return np.abs(clip.astype(int) - expected).mean()


def test_tiles_cover_the_frame_side_by_side_at_the_scale_asked(aspects):
    # 96x64 at crop_scale 0.5: squares of 32 native pixels, resized to 16: 2 rows of 3 tiles
    result = extract(aspects["3:2"], clip=ClipSpec(8, 16), fps=24, crop="tiles", crop_scale=0.5, drop_scene_cuts=False)
    assert result.clips.shape == (3 * 6, 8, 16, 16, 3)
    first = [w.crop for w in result.windows[:6]]
    assert first == [(left, top, 32) for top in (0, 32) for left in (0, 32, 64)]
    assert {w.crop for w in result.windows} == set(first)  # the same tiles at every moment
    for window, clip in zip(result.windows[:6], result.clips[:6], strict=True):
        assert mismatch(clip, native_square(aspects["3:2"], window.crop, 16)) < 16
    assert mismatch(result.clips[0], native_square(aspects["3:2"], first[4], 16)) > 30  # tiles differ


def test_centre_crop_at_half_scale_magnifies_the_middle(aspects):
    result = extract(aspects["16:9"], clip=ClipSpec(8, 18), fps=24, crop_scale=0.5, drop_scene_cuts=False)
    assert result.clips.shape == (3, 8, 18, 18, 3)
    [crop] = {w.crop for w in result.windows}
    assert crop == (46, 18, 36)  # 128x72: a 36-pixel square in the middle
    assert mismatch(result.clips[0], native_square(aspects["16:9"], crop, 18)) < 16


def test_random_crops_move_from_clip_to_clip_and_are_the_same_each_time(aspects):
    options = dict(clip=ClipSpec(4, 16), fps=24, stride=1, crop="random", crop_scale=0.5, drop_scene_cuts=False)
    result = extract(aspects["21:9"], **options)
    crops = [w.crop for w in result.windows]
    assert len(result.clips) == 21 and len(set(crops)) > 10
    for left, top, side in crops:
        assert side == 36 and 0 <= left <= 168 - 36 and 0 <= top <= 72 - 36
    again = extract(aspects["21:9"], **options)
    assert [w.crop for w in again.windows] == crops and np.array_equal(again.clips, result.clips)
    window, clip = result.windows[7], result.clips[7]
    first = round(window.start * 24)
    left, top, side = window.crop
    native = read_video(aspects["21:9"])[first : first + 4, top : top + side, left : left + side]
    expected = np.stack([np.asarray(Image.fromarray(f).resize((16, 16), Image.Resampling.BILINEAR)) for f in native])
    assert mismatch(clip, expected) < 16


def test_the_cap_counts_every_tile(aspects):
    result = extract(aspects["3:2"], clip=ClipSpec(8, 16), fps=24, crop="tiles", crop_scale=0.5, max_clips_per_video=12)
    assert len(result.clips) == 12 and len({w.start for w in result.windows}) == 2


def test_tiles_of_real_footage(real_footage):
    # bikes-shot3: 640x272 street traffic; at crop_scale 0.5 a tile is 136 native pixels, 4 across, 2 down
    result = extract(real_footage / "bikes-shot3.mp4", clip=ClipSpec(16, 32), fps=25, crop="tiles", crop_scale=0.5)
    assert result.clips.shape[1:] == (16, 32, 32, 3) and len(result.clips) % 8 == 0
    assert {w.crop[2] for w in result.windows} == {136}
    assert len({w.crop for w in result.windows}) == 8
    whole = extract(real_footage / "bikes-shot3.mp4", clip=ClipSpec(16, 32), fps=25)
    [(left, top, side)] = {w.crop for w in whole.windows}  # the default: the centre of the whole short side
    assert (top, side) == (0, 272) and abs(left - (640 - 272) / 2) <= 272 / 32  # within one decoded pixel


def test_a_crop_smaller_than_the_clip_is_cut_at_the_videos_size_then_enlarged(aspects):
    # 64x48 at crop_scale 0.25: a 12-pixel square of the video, enlarged to 32 (never the whole frame at 128 high)
    result = extract(aspects["4:3"], clip=ClipSpec(8, 32), fps=24, crop="tiles", crop_scale=0.25, drop_scene_cuts=False)
    assert result.clips.shape == (3 * 20, 8, 32, 32, 3)  # 5 x 4 tiles of 12 pixels
    assert {w.crop[2] for w in result.windows} == {12}
    window, clip = result.windows[7], result.clips[7]
    assert mismatch(clip, native_square(aspects["4:3"], window.crop, 32)) < 16
