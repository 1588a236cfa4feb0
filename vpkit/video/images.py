"""Still images as model input: any file Pillow reads, brought to an RGB square at the model's size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vpkit.errors import ConfigError, VpkitError


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


def load_frame(path: Path, size: int) -> np.ndarray:
    """Read ``path`` as uint8 RGB (size, size, 3): short side resized to ``size``, then centre-cropped.

    EXIF rotation is applied; greyscale, palette and CMYK images are converted; transparent
    pixels (RGBA, LA, palette transparency) are laid over white.
    """
    try:
        with Image.open(path) as image:
            image.load()
            rgb = to_rgb(ImageOps.exif_transpose(image))
    except UnidentifiedImageError:
        raise VpkitError(f"{path}: not an image Pillow can read") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise VpkitError(f"{path}: cannot read the image ({exc})") from None
    return np.asarray(ImageOps.fit(rgb, (size, size), Image.Resampling.BICUBIC))


def to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
