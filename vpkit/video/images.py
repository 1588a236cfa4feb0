"""Still images as model input: any file Pillow reads, brought to an RGB square at the model's size."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vpkit.errors import ConfigError


def image_suffixes() -> set[str]:
    """File extensions of the image formats Pillow can open (``.png``, ``.jpg``, ...)."""
    return {ext for ext, fmt in Image.registered_extensions().items() if fmt in Image.OPEN}


def find_images(paths: list[Path]) -> list[Path]:
    """Expand ``paths``: a file stays itself, a folder gives its image files (not recursive, sorted)."""
    found: list[Path] = []
    suffixes = image_suffixes()
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
            if not inside:
                raise ConfigError(f"{path}: no images in this folder (looked for .png, .jpg, .gif, .bmp, .webp, ...)")
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return found


def load_frame(
    source: Path | BinaryIO, size: int, *, name: str | None = None, max_pixels: int | None = None
) -> np.ndarray:
    """Read an image file (a path, or a binary file such as an upload) as uint8 RGB (size, size, 3):
    short side resized to ``size``, then centre-cropped.

    EXIF rotation is applied; greyscale (8 or 16 bits), palette and CMYK images are converted;
    transparent pixels (RGBA, LA, palette transparency) are laid over white. ``name`` labels
    errors (default: the path). An image declaring more than ``max_pixels`` pixels is refused
    before it is decoded, so a small file that unpacks to gigabytes (a decompression bomb) costs nothing.
    """
    name = name or str(source)
    try:
        with Image.open(source) as image:
            width, height = image.size
            if max_pixels is not None and width * height > max_pixels:
                raise ConfigError(f"{name}: {width} x {height} pixels is over the limit of {max_pixels:,} pixels")
            image.load()
            rgb = to_rgb(ImageOps.exif_transpose(image))
    except UnidentifiedImageError:
        raise ConfigError(f"{name}: not an image Pillow can read") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ConfigError(f"{name}: cannot read the image ({exc})") from None
    return fit_square(rgb, size)


def fit_square(image: Image.Image | np.ndarray, size: int) -> np.ndarray:
    """An RGB image (or uint8 (H, W, 3) frame) as uint8 (size, size, 3): short side resized, centre-cropped."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    return np.array(ImageOps.fit(image, (size, size), Image.Resampling.BICUBIC))  # a writable copy, as torch wants


#: Modes of greyscale samples wider than 8 bits: 16-bit PNG and TIFF open as I;16 (or as the
#: 32-bit I in older Pillow), and Pillow's own conversion to RGB clips them at 255.
SIXTEEN_BIT_GREY = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in SIXTEEN_BIT_GREY:  # scale 0..65535 to 0..255
        levels = np.asarray(image, dtype=np.float64) * (255 / 65535)
        image = Image.fromarray(np.clip(np.round(levels), 0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
