import numpy as np
import pytest
import torch
from PIL import Image

from vpkit import VpkitError, clips_to_tensor, read_video, tensor_to_clips, write_video
from vpkit.components import GeneratorOutput
from vpkit.engine.train.grids import make_grid, output_columns


def moving_square(frames=6, size=16):
    video = np.zeros((frames, size, size, 3), np.uint8)
    for t in range(frames):
        video[t, 4:10, t : t + 6] = (250, 120, 30)
    return video


def test_tensor_round_trip_is_exact():
    clips = np.random.default_rng(0).integers(0, 256, (2, 3, 4, 4, 3), dtype=np.uint8)
    video = clips_to_tensor(clips)
    assert video.shape == (2, 3, 3, 4, 4) and video.min() >= -1 and video.max() <= 1
    assert np.array_equal(tensor_to_clips(video), clips)


def test_gif_and_mp4_are_written_and_read_back(tmp_path):
    video = moving_square()
    gif = write_video(tmp_path / "a.gif", video, fps=4)
    with Image.open(gif) as image:
        assert image.n_frames == 6 and image.size == (16, 16)
    mp4 = write_video(tmp_path / "a.mp4", video, fps=4)
    decoded = read_video(mp4)
    assert decoded.shape == (6, 16, 16, 3)
    assert np.abs(decoded.astype(int) - video.astype(int)).mean() < 12  # lossy, but the same picture


def test_odd_sized_mp4_is_padded(tmp_path):
    assert read_video(write_video(tmp_path / "odd.mp4", moving_square(size=15))).shape[1:3] == (16, 16)


def test_unknown_extension_and_undecodable_file(tmp_path):
    with pytest.raises(VpkitError, match="unknown video extension"):
        write_video(tmp_path / "a.avi", moving_square())
    assert not list(tmp_path.iterdir())
    junk = tmp_path / "junk.mp4"
    junk.write_text("<html>not a video</html>")
    with pytest.raises(VpkitError, match="cannot decode video"):
        read_video(junk)


def test_grid_shows_parts_beside_the_video():
    video = torch.zeros(2, 3, 4, 8, 8)
    mask = torch.ones(2, 1, 4, 8, 8)
    background = torch.full((2, 3, 8, 8), -1.0)
    names, columns = output_columns(
        GeneratorOutput(video, {"mask": mask, "background": background, "code": torch.zeros(2, 5)})
    )
    assert names == ["video", "mask", "background"]
    grid = make_grid(columns)
    assert grid.shape == (4, 2 + 2 * 10, 2 + 3 * 10, 3)
    assert grid[0, 2, 12].tolist() == [255, 255, 255]  # mask of ones shown white
    assert grid[0, 2, 22].tolist() == [0, 0, 0]  # background at -1 shown black


def test_unwritable_path_is_a_user_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(VpkitError, match="cannot write the video"):
        write_video(blocker / "a.gif", moving_square())
    assert blocker.read_text() == "not a folder"
