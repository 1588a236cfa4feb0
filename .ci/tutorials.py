"""Run the tutorials' commands top to bottom, as a reader of the site would on a fresh clone.

    python .ci/tutorials.py                  # the fast tutorials (the suite runs these)
    python .ci/tutorials.py --slow           # the slow ones (.ci/run runs these after the suite)
    python .ci/tutorials.py --all            # every tutorial
    python .ci/tutorials.py docs/tutorials/evaluate.md

A tutorial says how long it takes in a comment near its top, ``<!-- tutorial: fast -->`` or
``<!-- tutorial: slow -->``. Each runs in a copy of the repository of its own, with a cache and
a home folder of its own, from its first command to its last:

- every line of a ``bash`` block, and every ``$`` line of a ``console`` block (with the lines a
  trailing backslash continues), in order, each of which must exit 0;
- a ``yaml`` block that begins ``# vpkit run NAME.yaml`` is saved as NAME.yaml first, as the
  reader is asked to (unless it is a shipped file the copy already has);
- ``vpkit serve`` runs in the background until the page ends, and the commands after it start
  once it says where it serves;
- a block right after ``<!-- tutorial: not run (why) -->`` is shown, not run.

What the tutorials ask the reader to bring is on a reader's desk the runner lays out in the
copy first: photos (``photo.jpg``, ``a.png``, ``b.jpg``, ``shots/``), videos to score
(``real/``, ``generated/``, ``real.mp4``, ``generated.mp4``) and a folder of the reader's own
videos (``~/Videos/my_videos``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"
SPEED = re.compile(r"<!-- tutorial: (fast|slow) -->")
NOT_RUN = "<!-- tutorial: not run"
FENCE = re.compile(r"^```(\w*)\s*$")
#: What a copy of the repository leaves out: what a fresh clone has not got.
NOT_IN_A_CLONE = shutil.ignore_patterns(".git", ".venv", "runs", "site", "__pycache__", "test-artifacts", "*.egg-info")
#: Seconds ``vpkit serve`` may take to load its models and listen.
SERVE_START_S = 300


@dataclass
class Step:
    """One thing the reader does: run a command, or save a file."""

    command: str = ""
    save: tuple[str, str] | None = None  # (file name, text)


def speed(page: Path) -> str | None:
    found = SPEED.search(page.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def steps(page: Path) -> list[Step]:
    """The page's commands and files to save, in order."""
    found, lines = [], page.read_text(encoding="utf-8").splitlines()
    index, skip = 0, False
    while index < len(lines):
        line = lines[index]
        if line.startswith(NOT_RUN):
            skip = True
        fence = FENCE.match(line)
        if not fence:
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        body, kind = lines[index + 1 : end], fence.group(1)
        if not skip:
            found += _block_steps(kind, body)
        index, skip = end + 1, False
    return found


def _block_steps(kind: str, body: list[str]) -> list[Step]:
    if kind == "bash":
        return [Step(command) for command in _joined(body)]
    if kind == "console":
        prompts, current = [], None
        for line in body:
            if line.startswith("$ "):
                current = [line[2:]]
                prompts.append(current)
            elif current is not None and current[-1].endswith("\\"):
                current.append(line)
            else:
                current = None
        return [Step(" ".join(part.rstrip("\\").strip() for part in prompt)) for prompt in prompts]
    if kind == "yaml" and body and (saved := re.match(r"# vpkit run (\S+\.yaml)$", body[0])):
        return [Step(save=(saved.group(1), "\n".join(body) + "\n"))]
    return []


def _joined(body: list[str]) -> list[str]:
    """The block's commands, a line each once trailing backslashes are joined; blank lines dropped."""
    commands, pending = [], []
    for line in body:
        pending.append(line.rstrip("\\").strip())
        if not line.endswith("\\"):
            command = " ".join(pending)
            if command and not command.startswith("#"):
                commands.append(command)
            pending = []
    return commands


def lay_out_desk(work: Path, home: Path) -> None:
    """What the tutorials ask the reader to bring, made from the synthetic source's clips."""
    import numpy as np
    from PIL import Image

    from vpkit import write_video

    rng = np.random.default_rng(0)
    clips = [np.repeat(rng.integers(0, 256, (1, 8, 8, 3), dtype=np.uint8), 8, 1).repeat(8, 2) for _ in range(12)]
    moving = [np.stack([np.roll(clip[0], shift, axis=1) for shift in range(16)]) for clip in clips]
    for name, frame in (("photo.jpg", 0), ("a.png", 1), ("b.jpg", 2), ("shots/one.jpg", 3), ("shots/two.png", 4)):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(moving[frame][0]).resize((96, 64)).save(work / name)
    for index, video in enumerate(moving[:10]):
        write_video(work / "real" / f"{index}.mp4", video)
        write_video(work / "generated" / f"{index}.mp4", np.roll(video, 1, axis=0))
    write_video(work / "real.mp4", moving[0])
    write_video(work / "generated.mp4", moving[1])
    for index, video in enumerate(moving[:6]):
        write_video(home / "Videos" / "my_videos" / f"video{index}.mp4", np.concatenate([video] * 4))


def run_page(page: Path, keep: Path | None = None) -> list[str]:
    """Run ``page`` in a fresh copy of the repository; return the commands that failed, with why."""
    with tempfile.TemporaryDirectory(prefix="vpkit-tutorial-") as tmp:
        base = keep or Path(tmp)
        work, home = base / "clone", base / "home"
        shutil.copytree(ROOT, work, ignore=NOT_IN_A_CLONE)
        home.mkdir(parents=True)
        lay_out_desk(work, home)
        env = {**os.environ, "HOME": str(home), "VPKIT_CACHE": str(base / "cache"), "NO_COLOR": "1"}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
        background: list[subprocess.Popen] = []
        try:
            for step in steps(page):
                if step.save:
                    name, text = step.save
                    if not (work / name).exists():
                        (work / name).write_text(text, encoding="utf-8")
                    continue
                print(f"+ {step.command}", file=sys.stderr, flush=True)
                if step.command.startswith("vpkit serve "):
                    background.append(_serve(step.command, work, env))
                    continue
                done = subprocess.run(["bash", "-euo", "pipefail", "-c", step.command], cwd=work, env=env)
                if done.returncode != 0:
                    return [f"{page.name}: `{step.command}` exited {done.returncode}"]
        finally:
            for process in background:
                process.terminate()
                process.wait(30)
    return []


def _serve(command: str, work: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start ``vpkit serve`` (its output into serve.log) and return once it listens."""
    log = work / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=work, env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + SERVE_START_S
    while time.monotonic() < deadline and process.poll() is None:
        if any(line.startswith("serving ") for line in log.read_text().splitlines()):
            return process
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"`{command}` did not start serving:\n{log.read_text()[-2000:]}")


def pages(speeds: set[str]) -> list[Path]:
    return [page for page in sorted(TUTORIALS.glob("*.md")) if speed(page) in speeds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="tutorial pages (default: the fast ones)")
    parser.add_argument("--slow", action="store_true", help="the slow tutorials")
    parser.add_argument("--all", action="store_true", help="every tutorial, fast and slow")
    args = parser.parse_args()
    chosen = args.pages or pages({"fast", "slow"} if args.all else {"slow"} if args.slow else {"fast"})
    failures = [failure for page in chosen for failure in run_page(page)]
    for failure in failures:
        print(failure, file=sys.stderr)
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
