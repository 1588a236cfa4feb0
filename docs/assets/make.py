"""Make the pictures in docs/assets/ from real runs and real sources (run from the repository root).

They are kept at their real size; docs/stylesheets/extra.css enlarges them without blurring.

    vpkit run examples/quickstart.yaml -o /tmp/docrun    # its 1200 steps
    python docs/assets/make.py quickstart /tmp/docrun   # quickstart-samples.gif: the run's last sample grid
    python docs/assets/make.py synthetic                # synthetic-clips.gif: clips of the synthetic source
    PYTHONPATH=examples/vpkit-bouncing-digits/src python docs/assets/make.py digits   # bouncing-digits.gif

The predict tutorial shows the conditional quickstart as shipped (400 steps, under a minute on
a 2-core CPU):

    vpkit run examples/future_quickstart.yaml -o /tmp/docrun-future
    python docs/assets/make.py future /tmp/docrun-future    # future-samples.gif: its last sample grid
    python docs/assets/make.py predict /tmp/docrun-future   # predict-example.gif: vpkit predict on one image

The evaluation tutorial shows vpkit evaluate's pictures of both quickstarts as shipped:

    python docs/assets/make.py evaluation /tmp/docrun-future /tmp/docrun   # eval-*.png: eval/ of each

vpkit serve's page, from a run of the conditional quickstart:

    vpkit run examples/future_quickstart.yaml -o /tmp/futurerun
    python docs/assets/make.py serve /tmp/futurerun     # serve-page.png: vpkit serve's page in headless Chromium
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml
from PIL import Image, ImageSequence

from vpkit import ClipSpec

ASSETS = Path(__file__).parent
GREY = 96
COLOURS = 64


def write_gif(name: str, frames: np.ndarray, fps: float) -> Path:
    """An animated GIF with one palette of ``COLOURS`` colours for every frame and no dithering (small files)."""
    strip = Image.fromarray(frames.reshape(-1, *frames.shape[2:]))
    palette = strip.quantize(COLOURS, dither=Image.Dither.NONE)
    images = [Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    path = ASSETS / name
    images[0].save(path, save_all=True, append_images=images[1:], duration=round(1000 / fps), loop=0, optimize=True)
    return path


def tile(clips: list[np.ndarray], columns: int) -> np.ndarray:
    """Clips (T, H, W, 3) in a grid with grey gaps, as one video (T, H', W', 3)."""
    frames, height, width, _ = clips[0].shape
    rows = -(-len(clips) // columns)
    grid = np.full((frames, 2 + rows * (height + 2), 2 + columns * (width + 2), 3), GREY, dtype=np.uint8)
    for i, clip in enumerate(clips):
        y, x = 2 + (i // columns) * (height + 2), 2 + (i % columns) * (width + 2)
        grid[:, y : y + height, x : x + width] = clip
    return grid


def quickstart(run_dir: str, rows: int = 4) -> Path:
    """The first ``rows`` rows of the run's last sample grid (a row: video, mask, background)."""
    size = yaml.safe_load((Path(run_dir) / "config.yaml").read_text())["clip"]["size"]
    last = sorted((Path(run_dir) / "samples").glob("step_*.gif"))[-1]
    frames = np.stack([np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(last))])
    return write_gif("quickstart-samples.gif", frames[:, : 2 + rows * (size + 2)], fps=8)


def future(run_dir: str, rows: int = 4) -> Path:
    """The first ``rows`` rows of a conditional run's last sample grid (input, prediction, real, parts)."""
    size = yaml.safe_load((Path(run_dir) / "config.yaml").read_text())["clip"]["size"]
    last = sorted((Path(run_dir) / "samples").glob("step_*.gif"))[-1]
    frames = np.stack([np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(last))])
    return write_gif("future-samples.gif", frames[:, : 2 + rows * (size + 2)], fps=8)


def predict(run_dir: str, clip: int = 5) -> Path:
    """``vpkit predict`` on one still image (the first frame of a validation clip, saved as a PNG):
    the image, held still, beside the video predicted from it."""
    import subprocess
    import tempfile

    from vpkit.config.runfile import load_run
    from vpkit.data.prepare import prepare_store

    run = load_run(Path(run_dir) / "config.yaml")
    first = prepare_store(run).split("val").gather([clip])[0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        photo, video = Path(tmp) / "photo.png", Path(tmp) / "future.gif"
        Image.fromarray(first).save(photo)
        subprocess.run(["vpkit", "predict", run_dir, str(photo), "-o", str(video)], check=True)
        predicted = np.stack([np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(video))])
    still = np.repeat(first[None], len(predicted), axis=0)
    return write_gif("predict-example.gif", tile([still, predicted], 2), fps=8)


def evaluation(future_run: str, quickstart_run: str) -> Path:
    """``vpkit evaluate`` on both runs (every metric; K = 4 for the conditional one), and the pictures
    it writes into their eval/: SSIM and motion of the conditional quickstart, motion of the unconditional one."""
    import shutil
    import subprocess

    for run_dir in (future_run, quickstart_run):
        subprocess.run([sys.executable, "-m", "vpkit", "evaluate", run_dir, "--device", "cpu"], check=True)
    pictures = {
        "eval-future-ssim.png": Path(future_run) / "eval" / "ssim.png",
        "eval-future-motion.png": Path(future_run) / "eval" / "motion.png",
        "eval-quickstart-motion.png": Path(quickstart_run) / "eval" / "motion.png",
    }
    for name, source in pictures.items():
        shutil.copyfile(source, ASSETS / name)
    return ASSETS / "eval-future-ssim.png"


def synthetic() -> Path:
    from vpkit_synthetic.source import SyntheticSource

    source = SyntheticSource(SyntheticSource.Config(), ClipSpec(16, 32))
    return write_gif("synthetic-clips.gif", tile([source.render(i) for i in range(8)], 4), fps=8)


def digits() -> Path:
    from vpkit_bouncing_digits.source import BouncingDigits

    source = BouncingDigits(BouncingDigits.Config(), ClipSpec(32, 48))
    return write_gif("bouncing-digits.gif", tile([source.render(i) for i in range(4)], 4), fps=10)


def serve(run_dir: str) -> Path:
    """vpkit serve's page with the prediction from the first frame of a validation clip of the run's
    store, as headless Chromium shows it (Debian's chromium and chromium-driver, as in the suite's
    browser test, tests/vpkit/commands/serve/test_page.py, whose flags these are)."""
    import re
    import subprocess
    import tempfile
    import time

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from vpkit.config.runfile import load_run
    from vpkit.data.prepare import prepare_store

    first_frame = prepare_store(load_run(Path(run_dir) / "config.yaml")).split("val").gather([0])[0, 0]
    with tempfile.TemporaryDirectory() as scratch:
        photo = Path(scratch) / "court.png"
        Image.fromarray(first_frame).resize((128, 128), Image.Resampling.NEAREST).save(photo)
        log = Path(scratch) / "server.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "vpkit", "serve", run_dir, "--port", "0"], stdout=out, stderr=out
            )
        try:
            while not (found := re.search(r"at (http://\S+/) ", log.read_text())):
                if server.poll() is not None:
                    raise SystemExit(log.read_text())
                time.sleep(0.2)
            options = webdriver.ChromeOptions()
            for flag in (
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1000,760",
                f"--user-data-dir={scratch}/profile",
            ):
                options.add_argument(flag)
            chrome = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
            try:
                chrome.get(found.group(1))
                time.sleep(1)
                chrome.find_element("id", "photo").send_keys(str(photo))
                while chrome.execute_script(
                    "const v = document.getElementById('video'); return v.readyState < 2 || v.paused"
                ):
                    time.sleep(0.2)
                time.sleep(1.2)  # into the clip, where the prediction has moved away from the input
                path = ASSETS / "serve-page.png"
                chrome.save_screenshot(str(path))
            finally:
                chrome.quit()
        finally:
            server.terminate()
            server.wait()
    return path


if __name__ == "__main__":
    makers = {
        "quickstart": quickstart,
        "synthetic": synthetic,
        "digits": digits,
        "future": future,
        "predict": predict,
        "serve": serve,
        "evaluation": evaluation,
    }
    print(makers[sys.argv[1]](*sys.argv[2:]))
