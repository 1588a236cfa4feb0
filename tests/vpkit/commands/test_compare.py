"""``vpkit compare`` on real evaluations of two tiny conditional runs: one predicts well, the
other at half brightness."""

import json
import shutil

import pytest
from click.testing import CliRunner

from vpkit.commands.cli import cli


def _cli(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def runs(still, tiny_run, tmp_path):
    dirs = {}
    for label, gain in (("good", 1.0), ("dim", 0.5)):
        run_file = tiny_run(
            1,
            f"{label}.yaml",
            seed=1,
            source={"train_clips": 8, "val_clips": 12, "clips_per_shard": 4},
            model={"generator": {"name": "still", "gain": gain, "width": None}},
            train={"batch_size": 2},
            metrics=["ssim", "psnr"],
            evaluation={"videos": 12, "batch_size": 6},
        )
        dirs[label] = tmp_path / label
        _cli("run", run_file, "-o", dirs[label])
        _cli("evaluate", dirs[label])
    return dirs


def test_a_clear_difference_is_significant_and_no_difference_is_not(runs):
    out = _cli("compare", runs["good"], runs["dim"] / "metrics.json")
    assert f"A: {runs['good'] / 'metrics.json'} (step 1)" in out
    rows = {line.split()[0]: line for line in out.splitlines()[3:]}
    assert "significant: A is better" in rows["psnr"] and "significant: A is better" in rows["ssim"]
    result = json.loads(_cli("compare", runs["good"], runs["dim"], "--json"))
    psnr = result["metrics"]["psnr"]
    assert psnr["difference"] == pytest.approx(psnr["b"] - psnr["a"]) and psnr["difference"] < 0
    assert psnr["z"] < -1.96 and psnr["ci95_a"][0] < psnr["a"] < psnr["ci95_a"][1]

    same = json.loads(_cli("compare", runs["good"], runs["good"], "--json"))["metrics"]["psnr"]
    assert same["difference"] == 0 and same["z"] == 0 and same["verdict"] == "not significant"


def test_each_metric_is_compared_at_the_step_it_was_scored(runs, tmp_path):
    later = tmp_path / "later"
    shutil.copytree(runs["good"], later)
    _cli("run", tmp_path / "good.yaml", "-o", later, "--resume", "--set", "train.steps=2")
    _cli("evaluate", later, "--metrics", "psnr")  # ssim stays the step-1 entry

    result = json.loads(_cli("compare", runs["good"], later, "--json"))
    assert (result["step_a"], result["step_b"]) == (1, None)
    assert {name: (row["step_a"], row["step_b"]) for name, row in result["metrics"].items()} == {
        "psnr": (1, 2),
        "ssim": (1, 1),
        "motion": (1, 2),  # the motion statistics and the diversity join every evaluation
        "diversity": (1, 2),
    }
    out = _cli("compare", runs["good"], later)
    assert f"B: {later / 'metrics.json'} (steps per metric below)" in out
    rows = {line.split()[0]: line for line in out.splitlines()[3:]}
    assert " 1/2 " in rows["psnr"] and " 1/1 " in rows["ssim"]


def test_numbers_from_different_protocols_are_refused_naming_what_differs(runs, tmp_path):
    fewer = tmp_path / "fewer"
    shutil.copytree(runs["good"], fewer)
    _cli("evaluate", fewer, "-n", 6)
    out = _cli("compare", runs["good"], fewer, code=1)
    assert "refusing to compare numbers computed under different protocols:" in out
    assert "psnr: videos (12 vs 6)\n" in out and "ssim: videos (12 vs 6)" in out  # each field named once
    assert "Traceback" not in out


def test_numbers_from_other_samples_per_context_or_context_frames_are_refused(runs, tmp_path):
    more = tmp_path / "more"
    shutil.copytree(runs["good"], more)
    _cli("evaluate", more, "-k", 2)
    out = _cli("compare", runs["good"], more, code=1)
    assert "psnr: samples (4 vs 2)" in out and "diversity: samples (4 vs 2)" in out

    document = json.loads((runs["dim"] / "metrics.json").read_text())
    for entry in document["metrics"].values():
        entry["protocol"].update(context=2, scored_frames=[2, 3])
    (tmp_path / "two.json").write_text(json.dumps(document))
    out = _cli("compare", runs["good"], tmp_path / "two.json", code=1)
    assert "ssim: context (1 vs 2); scored_frames ([1, 3] vs [2, 3])" in out


def test_bad_inputs_are_one_line_errors(tmp_path, runs):
    assert f"{tmp_path / 'nowhere'}: no metrics.json there" in _cli(
        "compare", tmp_path / "nowhere", runs["good"], code=1
    )
    (tmp_path / "broken.json").write_text("{not json")
    assert "broken.json: not a metrics.json written by `vpkit evaluate`" in _cli(
        "compare", tmp_path / "broken.json", runs["good"], code=1
    )
