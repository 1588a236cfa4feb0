"""The cache of real statistics is an optimisation: a damaged file is computed again, and one
that cannot be written costs time later, never the results in hand."""

import json

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from vpkit import Metric, hookimpl
from vpkit.commands.cli import cli
from vpkit.config.runfile import load_run
from vpkit.data.prepare import prepare_store
from vpkit.engine.evaluate.evaluator import Evaluator


class MeanColour(Metric):
    """A small distributional metric with cached real statistics: the distance between the mean
    colours of the two sets."""

    name = "mean_colour"

    def reset(self):
        self.colours, self.cached = {"real": [], "generated": []}, None

    def update(self, real, generated):
        for side, videos in (("real", real), ("generated", generated)):
            if videos is not None:
                self.colours[side].append(videos.mean(dim=(2, 3, 4)))

    def real_key(self):
        return {"features": "mean colour"}

    def real_state(self):
        real = torch.cat(self.colours["real"])
        return {"mean": real.mean(0).double().numpy(), "count": np.array(len(real))}

    def load_real_state(self, state):
        mean = np.asarray(state["mean"])
        if mean.shape != (3,):
            raise ValueError(f"a mean of shape {mean.shape}, not (3,)")
        self.cached = mean

    def compute(self):
        real = self.cached if self.cached is not None else torch.cat(self.colours["real"]).mean(0).double().numpy()
        generated = torch.cat(self.colours["generated"]).mean(0).double().numpy()
        return {self.name: float(np.abs(real - generated).sum())}


class MeanColourPlugin:
    @hookimpl
    def register_metrics(self, register):
        register(MeanColour)


@pytest.fixture
def evaluation(tiny_run, tmp_path):
    """An Evaluator of MeanColour on the tiny run's store, an untrained generator, and the stats folder."""
    run = load_run(tiny_run())
    generator = run.generator.build(run.clip)
    stats = tmp_path / "stats"
    evaluator = Evaluator([MeanColour(MeanColour.Config(), run.clip)], prepare_store(run), "val", 2, stats)
    return evaluator, generator, stats


def damage(path, how):
    if how == "truncated":
        path.write_bytes(path.read_bytes()[:40])
    elif how == "text":
        path.write_text("not statistics\n")
    elif how == "missing array":
        np.savez(path, count=np.array(2))
    elif how == "wrong dimension":
        np.savez(path, mean=np.zeros(5), count=np.array(2))


@pytest.mark.parametrize("how", ["truncated", "text", "missing array", "wrong dimension"])
def test_a_damaged_statistics_cache_is_computed_again(evaluation, capsys, how):
    evaluator, generator, stats = evaluation
    first = evaluator(generator)["mean_colour"]["mean_colour"]
    [cached] = stats.glob("mean_colour-*.npz")
    damage(cached, how)
    assert evaluator(generator)["mean_colour"]["mean_colour"] == pytest.approx(first)
    assert f"warning: {cached}: damaged statistics cache (" in capsys.readouterr().err
    with np.load(cached) as rebuilt:
        assert rebuilt["mean"].shape == (3,)


def test_a_cache_that_cannot_be_written_keeps_the_results(evaluation, capsys):
    evaluator, generator, stats = evaluation
    stats.write_text("a file where the cache folder should be")
    assert evaluator(generator)["mean_colour"]["mean_colour"] >= 0
    assert f"warning: cannot write the statistics cache {stats}/mean_colour-" in capsys.readouterr().err


def test_evaluate_writes_its_results_when_the_cache_is_not_writable(tiny_run, tmp_path, register_plugin):
    register_plugin(MeanColourPlugin(), "mean-colour")
    run_dir = tmp_path / "run"
    assert CliRunner().invoke(cli, ["run", str(tiny_run(steps=1)), "-o", str(run_dir)]).exit_code == 0
    (tmp_path / "cache" / "stats").write_text("a file where the cache folder should be")
    result = CliRunner().invoke(cli, ["evaluate", str(run_dir), "--metrics", "mean_colour", "-n", "2"])
    assert result.exit_code == 0, result.output
    assert "warning: cannot write the statistics cache" in result.stderr
    assert json.loads((run_dir / "metrics.json").read_text())["metrics"]["mean_colour"]["protocol"]["videos"] == 2
