import io

import numpy as np
import pytest
from PIL import Image

from vpkit.errors import VpkitError
from vpkit.video.images import find_images, load_frame


def picture(width=60, height=40):
    """Left third red, middle green, right third blue: the centre crop keeps only green columns."""
    pixels = np.zeros((height, width, 3), np.uint8)
    pixels[:, : width // 3, 0] = 255
    pixels[:, width // 3 : 2 * width // 3, 1] = 255
    pixels[:, 2 * width // 3 :, 2] = 255
    return Image.fromarray(pixels)


@pytest.mark.parametrize("name", ["a.png", "a.jpg", "a.bmp", "a.webp"])
def test_reads_common_formats_to_rgb_square(tmp_path, name):
    path = tmp_path / name
    picture(30, 20).save(path)
    frame = load_frame(path, 16)
    assert frame.shape == (16, 16, 3) and frame.dtype == np.uint8


def test_short_side_resized_then_centre_cropped(tmp_path):
    path = tmp_path / "wide.png"
    picture(60, 20).save(path)  # resized to 48 x 16, cropped to columns 16..31: the green third
    frame = load_frame(path, 16).astype(int)
    assert frame[:, 2:-2, 1].min() > 200 and frame[:, 2:-2, [0, 2]].max() < 60


def test_greyscale_and_palette_become_rgb(tmp_path):
    picture().convert("L").save(tmp_path / "grey.png")
    picture().convert("P").save(tmp_path / "palette.gif")
    grey = load_frame(tmp_path / "grey.png", 16)
    assert grey.shape == (16, 16, 3)
    assert np.array_equal(grey[..., 0], grey[..., 1]) and np.array_equal(grey[..., 1], grey[..., 2])
    assert load_frame(tmp_path / "palette.gif", 16).shape == (16, 16, 3)


def test_transparent_pixels_are_white(tmp_path):
    rgba = np.zeros((32, 32, 4), np.uint8)
    rgba[..., 0] = 255  # red, but fully transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "clear.png")
    assert load_frame(tmp_path / "clear.png", 16).min() == 255


def test_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    with pytest.raises(VpkitError, match=r"notes\.png: not an image"):
        load_frame(path, 16)


@pytest.mark.parametrize("name", ["cut.png", "cut.jpg"])
def test_truncated_image(tmp_path, name):
    path = tmp_path / name
    picture().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(VpkitError, match=rf"{name}: cannot read the image \("):
        load_frame(path, 16)


def test_reads_a_binary_file_and_names_it_in_errors(tmp_path):
    buffer = io.BytesIO()
    picture(60, 20).save(buffer, format="PNG")
    buffer.seek(0)
    path = tmp_path / "wide.png"
    picture(60, 20).save(path)
    assert np.array_equal(load_frame(buffer, 16, name="upload.png"), load_frame(path, 16))
    with pytest.raises(VpkitError, match=r"^upload\.png: not an image"):
        load_frame(io.BytesIO(b"plain text"), 16, name="upload.png")


def test_pixel_limit_refuses_a_decompression_bomb_before_decoding(tmp_path):
    """A 1-bit 10000 x 6000 PNG is a few kB on disk and 60 million pixels once decoded."""
    path = tmp_path / "bomb.png"
    Image.new("1", (10_000, 6_000)).save(path)
    assert path.stat().st_size < 100_000
    with pytest.raises(VpkitError, match=r"bomb\.png: 10000 x 6000 pixels is over the limit of 50,000,000 pixels"):
        load_frame(path, 16, max_pixels=50_000_000)
    assert load_frame(path, 16, max_pixels=60_000_000).shape == (16, 16, 3)


def test_find_images_expands_folders(tmp_path):
    folder = tmp_path / "shots"
    folder.mkdir()
    for name in ("b.jpg", "a.png", "readme.txt"):
        (folder / name).write_bytes(b"")
    (folder / "nested").mkdir()
    single = tmp_path / "c.png"
    single.write_bytes(b"")
    assert find_images([folder, single]) == [folder / "a.png", folder / "b.jpg", single]


def test_find_images_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("")
    with pytest.raises(VpkitError, match="empty: no images in this folder"):
        find_images([tmp_path / "empty"])
    with pytest.raises(VpkitError, match="missing.png: no such file or folder"):
        find_images([tmp_path / "missing.png"])


def test_sixteen_bit_greyscale_is_scaled_not_clipped(tmp_path):
    import subprocess

    import imageio_ffmpeg

    for pix_fmt, name in (("gray16be", "deep.png"), ("gray", "plain.png")):  # the same picture at 16 and 8 bits
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48",
                "-frames:v",
                "1",
                "-pix_fmt",
                pix_fmt,
                str(tmp_path / name),
            ],
            check=True,
        )
    assert Image.open(tmp_path / "deep.png").mode == "I;16"
    deep, plain = (load_frame(tmp_path / name, 32).astype(int) for name in ("deep.png", "plain.png"))
    assert (deep == 255).mean() < 0.05  # clipped, 93% of these pixels were white
    assert np.abs(deep - plain).max() <= 2


def test_sixteen_bit_levels_map_to_eight_bit_levels(tmp_path):
    Image.fromarray(np.array([[0, 257, 32896, 65535]] * 4, np.uint16)).save(tmp_path / "levels.png")
    assert load_frame(tmp_path / "levels.png", 4)[0, :, 0].tolist() == [0, 1, 128, 255]
