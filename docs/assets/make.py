"""Make the pictures in docs/assets/ from real runs and real sources, and the transcripts the
pages show, from the code at the current commit (run from the repository root).

Clips are scaled up (nearest neighbour) to the size vpkit's own sample grids show them at, and
grids name their columns, as the files vpkit writes do (vpkit.engine.train.grids).

    vpkit run examples/quickstart.yaml -o /tmp/docrun    # its 1200 steps
    python docs/assets/make.py quickstart /tmp/docrun   # quickstart-samples.gif: the run's last sample grid
    python docs/assets/make.py synthetic                # synthetic-clips.gif: clips of the synthetic source
    PYTHONPATH=examples/vpkit-bouncing-digits/src python docs/assets/make.py digits   # bouncing-digits.gif

The predict tutorial shows the conditional quickstart as shipped (400 steps, one to three minutes
on a 2-core CPU):

    vpkit run examples/future_quickstart.yaml -o /tmp/docrun-future
    python docs/assets/make.py future /tmp/docrun-future    # future-samples.gif: its last sample grid
    python docs/assets/make.py predict /tmp/docrun-future   # predict-example.gif: vpkit predict on one image

"What makes the quickstarts predict" shows the two-context example, whose players travel:

    vpkit run examples/future_two_context.yaml -o /tmp/docrun-two
    python docs/assets/make.py two_context /tmp/docrun-two   # future-two-context.gif: its last sample grid
    vpkit run examples/future_two_context_long.yaml -o /tmp/docrun-long   # 20 minutes: the model vpkit ships
    python docs/assets/make.py two_context_long /tmp/docrun-long   # future-two-context-long.gif

The own-videos tutorial trains on the real-footage folder (6.5 CPU-minutes: 21 minutes on a 2-core CPU shared
with other work):

    vpkit footage real-footage && vpkit run examples/real_footage.yaml -o /tmp/docrun-real
    python docs/assets/make.py real /tmp/docrun-real    # real-footage-samples.gif: its last sample grid
    python docs/assets/make.py crops real-footage       # real-footage-crops.gif: one moment, centre and tiles

The evaluation tutorial shows vpkit evaluate's pictures of both quickstarts as shipped:

    python docs/assets/make.py evaluation /tmp/docrun-future /tmp/docrun   # eval-*.png: eval/ of each

vpkit serve's page, from a run of the conditional quickstart:

    vpkit run examples/future_quickstart.yaml -o /tmp/futurerun
    python docs/assets/make.py serve /tmp/futurerun     # serve-page.png: vpkit serve's page in headless Chromium

Transcripts: each page's block after a ``<!-- transcript: NAME -->`` marker is replaced by what
the commands of TRANSCRIPTS print now (tests/test_docs_transcripts.py checks they are current):

    python docs/assets/make.py transcripts
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import yaml
from PIL import Image, ImageSequence

from vpkit import ClipSpec
from vpkit.engine.train.grids import LABEL_HEIGHT, PAD, SHOWN_WIDTH, labelled_grid

ASSETS = Path(__file__).parent
DOCS = ASSETS.parent
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
    """Clips (T, H, W, 3) in a grid with grey gaps, as one video (T, H', W', 3), each clip scaled up
    (nearest neighbour) to at least ``SHOWN_WIDTH`` pixels wide."""
    scale = max(1, -(-SHOWN_WIDTH // clips[0].shape[2]))
    clips = [clip.repeat(scale, 1).repeat(scale, 2) for clip in clips]
    frames, height, width, _ = clips[0].shape
    rows = -(-len(clips) // columns)
    grid = np.full((frames, 2 + rows * (height + 2), 2 + columns * (width + 2), 3), GREY, dtype=np.uint8)
    for i, clip in enumerate(clips):
        y, x = 2 + (i // columns) * (height + 2), 2 + (i % columns) * (width + 2)
        grid[:, y : y + height, x : x + width] = clip
    return grid


def first_rows(run_dir: str, rows: int) -> np.ndarray:
    """The band of column names and the first ``rows`` rows of the run's last sample grid."""
    size = yaml.safe_load((Path(run_dir) / "config.yaml").read_text())["clip"]["size"]
    tile_size = size * max(1, -(-SHOWN_WIDTH // size))
    last = sorted((Path(run_dir) / "samples").glob("step_*.gif"))[-1]
    frames = np.stack([np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(last))])
    return frames[:, : LABEL_HEIGHT + PAD + rows * (tile_size + PAD)]


def quickstart(run_dir: str, rows: int = 4) -> Path:
    """The first ``rows`` rows of the run's last sample grid (a row: sample, foreground, mask, background)."""
    return write_gif("quickstart-samples.gif", first_rows(run_dir, rows), fps=8)


def future(run_dir: str, rows: int = 4, name: str = "future-samples.gif") -> Path:
    """The first ``rows`` rows of a conditional run's last sample grid (input, prediction, real, parts)."""
    return write_gif(name, first_rows(run_dir, rows), fps=8)


def two_context(run_dir: str) -> Path:
    """The first four rows of the two-context example's last sample grid."""
    return future(run_dir, name="future-two-context.gif")


def two_context_long(run_dir: str) -> Path:
    """The first four rows of the longer two-context recipe's last sample grid (the model vpkit ships)."""
    return future(run_dir, name="future-two-context-long.gif")


def real(run_dir: str) -> Path:
    """The sample grid of a run on the real-footage folder: its rows come from both validation videos."""
    return future(run_dir, rows=4, name="real-footage-samples.gif")


def crops(folder: str) -> Path:
    """One moment of a bikes shot at one scale, twice: left, the default centre crop (the whole short
    side in 32 pixels, shown doubled); right, the eight tiles of crop_scale 0.5 (32 pixels each), in place."""
    from vpkit import ExtractOptions, extract_clips

    path, clip = Path(folder) / "bikes-shot3.mp4", ClipSpec(16, 32)
    centre = extract_clips(path, clip, ExtractOptions(fps=[25], stride=16)).clips[1]
    tiles = extract_clips(path, clip, ExtractOptions(fps=[25], stride=16, crop="tiles", crop_scale=0.5)).clips[8:16]
    doubled = centre.repeat(2, axis=1).repeat(2, axis=2)
    in_place = np.concatenate([np.concatenate(list(tiles[row * 4 : row * 4 + 4]), axis=2) for row in (0, 1)], axis=1)
    frames, height = len(centre), doubled.shape[1]
    picture = np.full((frames, height + 4, doubled.shape[2] + in_place.shape[2] + 6, 3), GREY, dtype=np.uint8)
    picture[:, 2 : 2 + height, 2 : 2 + doubled.shape[2]] = doubled
    picture[:, 2 : 2 + height, 4 + doubled.shape[2] : -2] = in_place
    return write_gif("real-footage-crops.gif", picture, fps=8)


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
    from vpkit.video.files import clips_to_tensor

    still = np.repeat(first[None], len(predicted), axis=0)
    columns = [clips_to_tensor(video[None]) for video in (still, predicted)]
    return write_gif("predict-example.gif", labelled_grid(["input", "video"], columns), fps=8)


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


# --- transcripts: what the commands print now, in the pages that show it

ROOT = DOCS.parent
#: The pages that hold transcripts; each one's block after ``<!-- transcript: NAME -->`` is replaced.
PAGES = (ROOT / "README.md", DOCS / "getting-started.md")
MARKER = "<!-- transcript: {} "


def _vpkit(*args: str, cwd: Path) -> str:
    """stderr and stdout of a vpkit command, as a terminal shows them (errors are expected here)."""
    import subprocess

    done = subprocess.run([sys.executable, "-m", "vpkit", *args], cwd=cwd, capture_output=True, text=True)
    return done.stderr + done.stdout


def validate_errors(work: Path) -> str:
    """The shipped quickstart with one mistake, then another (a batch size of 0, a misspelt generator),
    then a bad --set."""
    text = (ROOT / "examples" / "quickstart.yaml").read_text()
    said = ""
    for mistake, fix in (("batch_size: 16", "batch_size: 0"), ("name: videogan\n", "name: videogna\n")):
        (work / "quickstart.yaml").write_text(text.replace(mistake, fix, 1))
        said += _vpkit("validate", "quickstart.yaml", cwd=work)
    return said + _vpkit(
        "validate", str(ROOT / "examples" / "quickstart.yaml"), "--set", "train.batch_size=0", cwd=work
    )


def banner(work: Path, run_file: str = "examples/future_quickstart.yaml") -> str:
    """The start of a run of ``run_file`` as shipped, logged to a file: its banner and its estimate
    (the run is stopped there)."""
    import signal
    import subprocess

    log = work / "train.log"
    with log.open("w") as out:
        command = [sys.executable, "-m", "vpkit", "run", str(ROOT / run_file), "-o", "runs/future_quickstart"]
        run = subprocess.Popen(command, cwd=work, stdout=out, stderr=out)
    try:
        while "estimated time" not in log.read_text() and run.poll() is None:
            time.sleep(0.5)
    finally:
        run.send_signal(signal.SIGINT)
        run.wait()
    lines = log.read_text().splitlines()
    shown = lines[: next(i for i, line in enumerate(lines) if line.startswith("estimated time")) + 1]
    return "\n".join(shown).replace(str(Path.home()), "~") + "\n"


TRANSCRIPTS = {"validate-errors": validate_errors, "banner": banner}


def transcripts(*names: str) -> list[Path]:
    """Run each transcript's commands (all of TRANSCRIPTS by default) and put what they print into
    the pages, in place of the fenced block after the transcript's marker."""
    import tempfile

    changed = []
    with tempfile.TemporaryDirectory() as tmp:
        made = {name: TRANSCRIPTS[name](Path(tmp)) for name in names or TRANSCRIPTS}
    for page in PAGES:
        text = page.read_text()
        for name, output in made.items():
            text = replace_block(text, name, output)
        if text != page.read_text():
            page.write_text(text)
            changed.append(page)
    return changed


def replace_block(text: str, name: str, output: str) -> str:
    """``text`` with the fenced block after the marker of ``name`` holding ``output``."""
    marker = MARKER.format(name)
    start = text.find(marker)
    if start < 0:
        return text
    fence = text.index("```", start)
    end = text.index("\n```", text.index("\n", fence)) + 4
    return text[:fence] + "```text\n" + output + "```" + text[end:]


if __name__ == "__main__":
    makers = {
        "quickstart": quickstart,
        "synthetic": synthetic,
        "digits": digits,
        "future": future,
        "two_context": two_context,
        "two_context_long": two_context_long,
        "real": real,
        "crops": crops,
        "predict": predict,
        "serve": serve,
        "transcripts": transcripts,
        "evaluation": evaluation,
    }
    print(makers[sys.argv[1]](*sys.argv[2:]))
