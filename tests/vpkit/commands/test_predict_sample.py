"""``vpkit predict`` and ``vpkit sample`` through the CLI, on the tiny runs trained in conftest.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from vpkit import generate, load_generator
from vpkit.commands.cli import cli
from vpkit.engine.train.grids import LABEL_HEIGHT, PAD, SHOWN_WIDTH


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def frames_of(path: Path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        frames = []
        for index in range(gif.n_frames):
            gif.seek(index)
            frames.append(np.asarray(gif.convert("RGB")))
        return frames


def image(path: Path, mode: str = "RGB", size=(24, 20)) -> Path:
    pixels = np.random.default_rng(0).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).convert(mode).save(path)
    return path


def assert_user_error(result, *names: str, code: int | None = None) -> None:
    """A short message naming the file, a non-zero exit (``code``: that one), no traceback."""
    assert result.exit_code != 0 if code is None else result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1, result.output
    for name in names:
        assert name in result.output


def test_conditional_run_writes_checkpoint_and_side_by_side_samples(future_run):
    assert (future_run / "checkpoints" / "last.pt").is_file()
    log = (future_run / "log.jsonl").read_text()
    assert '"loss_g_context"' in log
    grid = frames_of(future_run / "samples" / "step_000003.gif")
    # 2 rows of 16 x 16 clips shown 4x; columns: input, prediction, real, foreground, mask, background
    tile, top = SHOWN_WIDTH, LABEL_HEIGHT + PAD
    assert grid[0].shape == (top + 2 * (tile + PAD), PAD + 6 * (tile + PAD), 3)
    # The input column is the real column's first frame, held still (up to GIF palette error).
    real_x = PAD + 2 * (tile + PAD)
    input_column = grid[0][top : top + tile, PAD : PAD + tile].astype(int)
    real_column = grid[0][top : top + tile, real_x : real_x + tile].astype(int)
    assert np.abs(input_column - real_column).mean() < 8
    assert all(np.abs(frame[top : top + tile, PAD : PAD + tile] - input_column).mean() < 8 for frame in grid)


@pytest.mark.parametrize(
    "name, mode", [("photo.png", "RGB"), ("photo.jpg", "RGB"), ("grey.png", "L"), ("alpha.png", "RGBA")]
)
def test_predict_one_image(future_run, tmp_path, name, mode):
    out = tmp_path / "future.gif"
    result = invoke("predict", future_run, image(tmp_path / name, mode), "-o", out)
    assert result.exit_code == 0, result.output
    video = frames_of(out)  # Pillow merges identical consecutive frames, so up to 4
    assert 1 <= len(video) <= 4 and video[0].shape == (16, 16, 3)


def test_predict_is_deterministic_and_writes_mp4(future_run, tmp_path):
    picture = image(tmp_path / "a.png")
    assert invoke("predict", future_run, picture, "-o", tmp_path / "one.gif").exit_code == 0
    assert invoke("predict", future_run, picture, "-o", tmp_path / "two.gif").exit_code == 0
    assert (tmp_path / "one.gif").read_bytes() == (tmp_path / "two.gif").read_bytes()
    result = invoke("predict", future_run, picture, "-o", tmp_path / "a.mp4")
    assert result.exit_code == 0 and (tmp_path / "a.mp4").read_bytes()[4:8] == b"ftyp"


def test_predict_folder_gives_one_video_per_image(future_run, tmp_path):
    folder = tmp_path / "shots"
    folder.mkdir()
    for name, mode in (("a.png", "RGB"), ("b.jpg", "RGB"), ("c.png", "L"), ("d.png", "RGBA")):
        image(folder / name, mode)
    (folder / "notes.txt").write_text("ignored")
    result = invoke("predict", future_run, folder, "-o", tmp_path / "out", "--format", "mp4")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.mp4", "b.mp4", "c.mp4", "d.mp4"]


def test_sample_conditional_repeatable_by_seed(future_run, tmp_path):
    paths = [tmp_path / f"{n}.gif" for n in range(3)]
    for path, seed in zip(paths, (7, 7, 8), strict=False):
        result = invoke("sample", future_run, "-n", 3, "-o", path, "--seed", seed)
        assert result.exit_code == 0, result.output
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()
    tile = SHOWN_WIDTH  # 16 x 16 clips, shown 4x under the band of column names
    assert frames_of(paths[0])[0].shape == (LABEL_HEIGHT + PAD + 3 * (tile + PAD), PAD + 6 * (tile + PAD), 3)


def test_sample_unconditional_repeatable_by_seed(plain_run, tmp_path):
    paths = [tmp_path / f"{n}.mp4" for n in range(2)]
    for path in paths:
        assert invoke("sample", plain_run, "-n", 2, "-o", path, "--seed", 1).exit_code == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()
    # After 3 steps the videos are nearly flat grey, so compare the seeds before quantisation.
    generator = load_generator(plain_run, device="cpu").generator
    assert torch.equal(generate(generator, 2, seed=1).video, generate(generator, 2, seed=1).video)
    assert not torch.equal(generate(generator, 2, seed=1).video, generate(generator, 2, seed=2).video)


# --- bad input: a short message naming the file, a non-zero exit, nothing written


def test_predict_not_an_image(future_run, tmp_path):
    (tmp_path / "notes.png").write_text("hello")
    result = invoke("predict", future_run, tmp_path / "notes.png", "-o", tmp_path / "x.gif")
    assert_user_error(result, "notes.png", "not an image", code=2)
    assert not (tmp_path / "x.gif").exists()


def test_predict_truncated_image_writes_nothing_for_the_good_ones(future_run, tmp_path):
    folder = tmp_path / "shots"
    folder.mkdir()
    image(folder / "a.png")
    data = image(folder / "b.png").read_bytes()
    (folder / "b.png").write_bytes(data[: len(data) // 2])
    result = invoke("predict", future_run, folder, "-o", tmp_path / "out")
    assert_user_error(result, "b.png", "cannot read", code=2)
    assert not (tmp_path / "out").exists()


def test_predict_folder_without_images(future_run, tmp_path):
    (tmp_path / "empty").mkdir()
    assert_user_error(invoke("predict", future_run, tmp_path / "empty"), "empty", "no images")


def test_predict_with_unconditional_checkpoint(plain_run, tmp_path):
    result = invoke("predict", plain_run, image(tmp_path / "a.png"), "-o", tmp_path / "x.gif")
    assert_user_error(result, "last.pt", "unconditional", code=2)
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize("command", ["predict", "sample"])
def test_run_dir_without_checkpoint(future_run, tmp_path, command):
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "config.yaml").write_text((future_run / "config.yaml").read_text())
    extra = [image(tmp_path / "a.png")] if command == "predict" else []
    assert_user_error(invoke(command, bare, *extra, "-o", tmp_path / "x.gif"), "last.pt", "no checkpoint")
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize("command", ["predict", "sample"])
def test_not_a_run_dir(tmp_path, command):
    extra = [image(tmp_path / "a.png")] if command == "predict" else []
    assert_user_error(invoke(command, tmp_path, *extra), str(tmp_path), "not a vpkit run directory")


@pytest.mark.parametrize("command", ["predict", "sample"])
def test_unknown_output_extension(future_run, tmp_path, command):
    extra = [image(tmp_path / "a.png")] if command == "predict" else []
    result = invoke(command, future_run, *extra, "-o", tmp_path / "x.avi")
    assert_user_error(result, "x.avi", "unknown video extension", code=2)
    assert list(tmp_path.glob("*x*")) == []


def test_one_output_file_for_several_images(future_run, tmp_path):
    result = invoke(
        "predict", future_run, image(tmp_path / "a.png"), image(tmp_path / "b.png"), "-o", tmp_path / "x.gif"
    )
    assert_user_error(result, "x.gif", "give a folder", code=2)


def test_two_images_of_one_name_into_one_folder(future_run, tmp_path):
    (tmp_path / "x").mkdir(), (tmp_path / "y").mkdir()
    first, second = image(tmp_path / "x" / "a.png"), image(tmp_path / "y" / "a.png")
    result = invoke("predict", future_run, first, second, "-o", tmp_path / "out")
    assert_user_error(result, "would both be written to", "rename one", code=2)
    assert not (tmp_path / "out").exists()


def test_sample_more_than_the_clips(future_run, tmp_path):
    assert_user_error(invoke("sample", future_run, "-n", 100, "-o", tmp_path / "x.gif"), "only 6 clips", code=2)


def test_unknown_device(future_run, tmp_path):
    result = invoke("sample", future_run, "--device", "gpu0", "-o", tmp_path / "x.gif")
    assert result.exit_code == 2 and "expected auto, cpu, cuda or cuda:N, got 'gpu0'" in result.output
    assert not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["predict", "{absent}", "{image}"],
        ["predict", "{run}", "{absent}"],
        ["predict", "{run}", "{image}", "--checkpoint", "{absent}"],
        ["sample", "{absent}", "-o", "{out}"],
        ["sample", "{run}", "--checkpoint", "{absent}", "-o", "{out}"],
        ["evaluate", "{absent}"],
        ["score", "{absent}", "{image}"],
    ],
)
def test_a_missing_path_exits_2_in_every_command(future_run, tmp_path, args):
    names = {
        "absent": tmp_path / "absent",
        "image": image(tmp_path / "a.png"),
        "run": future_run,
        "out": tmp_path / "x.gif",
    }
    result = invoke(*[arg.format(**names) for arg in args])
    assert result.exit_code == 2, result.output
    assert_user_error(result, "absent")
