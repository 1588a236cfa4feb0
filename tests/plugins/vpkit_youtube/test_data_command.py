"""``vpkit data``: prepare a run's clips without training, summarise, survive being killed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
from click.testing import CliRunner

from vpkit import ClipStore
from vpkit.commands.cli import cli

RUN = """\
# vpkit data run.yaml
clip: {{frames: {frames}, size: {size}}}
source: {{name: folder, path: {folder}, fps: {fps}, val_fraction: 0.5}}
model: {{generator: videogan, discriminator: videogan}}
output: {{cache_dir: {cache}}}
"""


def run_file(tmp_path, folder, cache="cache", frames=8, size=32, fps=8):
    path = tmp_path / f"{cache}.yaml"
    path.write_text(RUN.format(folder=folder, cache=tmp_path / cache, frames=frames, size=size, fps=fps))
    return path


def test_data_prepares_and_summarises(tmp_path, video_dir):
    result = CliRunner().invoke(cli, ["data", str(run_file(tmp_path, video_dir))])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"clip store: {tmp_path / 'cache' / 'clips'}")
    assert lines[1].startswith("inputs: 3 ok (") and lines[1].endswith("1 skipped")
    assert lines[2].startswith("  1 skipped: cannot decode") and "notes.mp4" in lines[2]
    assert lines[3].endswith("val (8x32x32)")
    assert (
        sum(map(int, [lines[3].split()[1], lines[3].split()[3]])) == 3 + 1 + 2
    )  # plain, webm, cut (one clip spans its cut)

    again = CliRunner().invoke(cli, ["data", str(run_file(tmp_path, video_dir))])
    assert again.stdout == result.stdout


def test_run_prepares_the_same_store_then_trains(tmp_path, video_dir):
    path = tmp_path / "run.yaml"
    path.write_text(
        f"""\
clip: {{frames: 4, size: 16}}
source: {{name: folder, path: {video_dir}}}
model: {{generator: {{name: videogan, width: 0.125}}, discriminator: {{name: videogan, width: 0.125}}}}
train: {{steps: 1, batch_size: 2, device: cpu}}
output: {{cache_dir: {tmp_path / "cache"}}}
"""
    )
    assert CliRunner().invoke(cli, ["data", str(path)]).exit_code == 0
    [store] = (tmp_path / "cache" / "clips").iterdir()
    before = (store / "manifest.json").read_text()
    result = CliRunner().invoke(cli, ["run", str(path), "-o", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert (store / "manifest.json").read_text() == before
    assert (tmp_path / "run" / "checkpoints" / "last.pt").exists()


def test_data_errors_are_one_short_line(tmp_path):
    result = CliRunner().invoke(cli, ["data", str(run_file(tmp_path, tmp_path / "nowhere"))])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: source.path: {tmp_path / 'nowhere'} is not a directory"


def test_killed_mid_way_then_rerun_gives_the_same_store(tmp_path, media):
    folder = tmp_path / "footage"
    folder.mkdir()
    for i in range(3):
        shutil.copy(media["bunny"], folder / f"bunny{i}.mp4")
    options = dict(frames=16, size=64, fps=25)

    killed = run_file(tmp_path, folder, cache="killed", **options)
    process = subprocess.Popen(
        [sys.executable, "-m", "vpkit", "data", str(killed)], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    manifest = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        found = list((tmp_path / "killed" / "clips").glob("*/manifest.json"))
        if found and json.loads(found[0].read_text())["shards"]:
            manifest = found[0]
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert manifest is not None
    assert not json.loads(manifest.read_text())["complete"]

    assert CliRunner().invoke(cli, ["data", str(killed)]).exit_code == 0
    assert CliRunner().invoke(cli, ["data", str(run_file(tmp_path, folder, cache="whole", **options))]).exit_code == 0
    resumed = ClipStore(manifest.parent)
    [whole_root] = (tmp_path / "whole" / "clips").iterdir()
    whole = ClipStore(whole_root)
    assert resumed.manifest["shards"] == whole.manifest["shards"]
    assert not list(manifest.parent.rglob(".*tmp*"))  # no half-written file left behind
    for split in ("train", "val"):
        a, b = resumed.split(split), whole.split(split)
        assert np.array_equal(a.gather(range(len(a))), b.gather(range(len(b))))


def test_data_on_a_broken_file_prints_only_vpkit_lines(tmp_path, media):
    folder = tmp_path / "footage"
    folder.mkdir()
    shutil.copy(media["plain"], folder / "plain.mp4")
    shutil.copy(media["truncated"], folder / "broken.mp4")
    result = subprocess.run(
        [sys.executable, "-m", "vpkit", "data", str(run_file(tmp_path, folder))], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["folder"] * 3  # skipped, added, split
    assert "folder: skipped broken: cannot decode" in result.stderr


def test_no_training_clips_is_an_error_that_names_the_reasons(tmp_path, media):
    folder = tmp_path / "footage"
    folder.mkdir()
    for name in ("text", "truncated", "empty"):
        shutil.copy(media[name], folder / f"{name}.mp4")
    result = CliRunner().invoke(cli, ["data", str(run_file(tmp_path, folder))])
    assert result.exit_code == 2
    [store] = (tmp_path / "cache" / "clips").iterdir()
    assert result.output.splitlines()[-1] == (
        "Error: folder: no training clips: all 3 inputs were skipped (2x cannot decode (not a video, or a codec "
        f"neither decord nor ffmpeg reads); 1x empty file); the list is in {store / 'manifest.json'}"
    )
    assert not json.loads((store / "manifest.json").read_text())["complete"]  # the next run looks again
    shutil.copy(media["plain"], folder / "plain.mp4")
    assert CliRunner().invoke(cli, ["data", str(run_file(tmp_path, folder))]).exit_code == 0


def test_every_clip_in_validation_is_no_training_clips(tmp_path, media):
    folder = tmp_path / "footage"
    folder.mkdir()
    shutil.copy(media["plain"], folder / "plain.mp4")
    path = run_file(tmp_path, folder)
    result = CliRunner().invoke(cli, ["data", str(path), "--set", "source.val_fraction=0.9"])
    assert result.exit_code == 2
    assert "no training clips: all 3 clips are held out for validation; lower val_fraction" in result.output


def test_a_youtube_url_that_gives_nothing_is_an_error(tmp_path, http_server):
    url = http_server.serve("/gone.mp4", status=404)
    path = tmp_path / "run.yaml"
    path.write_text(
        f"source: {{name: youtube, urls: ['{url}'], retries: 0}}\n"
        "model: {generator: videogan, discriminator: videogan}\n"
        f"output: {{cache_dir: {tmp_path / 'cache'}}}\n"
    )
    result = CliRunner().invoke(cli, ["data", str(path)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(
        "Error: youtube: no training clips: the one input was skipped (1x Unable to download webpage: HTTP Error 404"
    )
