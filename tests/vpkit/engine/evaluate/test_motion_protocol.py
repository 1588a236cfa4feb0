"""The K-samples protocol and the motion statistics, proved with hand-made generators on real
rendered clips (nothing trained): one that copies the last context frame, one that peeks at the
real future, and one that adds fresh noise to every frame."""

import numpy as np
import pytest
import torch
from torch import nn
from vpkit_synthetic.render import render_clip

from vpkit import ClipSpec, ClipWriter, Generator, GeneratorOutput, plugins
from vpkit.engine.evaluate.evaluator import DIVERSITY, Evaluator

FRAMES, SIZE = 10, 32


class HandMade(Generator):
    conditional = True

    def __init__(self, clip):
        super().__init__(None, clip)
        self.anchor = nn.Parameter(torch.zeros(()))  # where the model lives; nothing is trained

    def sample_latent(self, batch_size, generator=None):
        c = self.clip
        return torch.randn(batch_size, 3, c.frames, c.size, c.size, generator=generator)

    def held(self, condition):
        return condition[:, :, -1:].expand(-1, -1, self.clip.frames, -1, -1) + self.anchor


class CopyLast(HandMade):
    name = "copy_last_by_hand"

    def forward(self, z, condition=None):
        return GeneratorOutput(self.held(condition))


class Flicker(HandMade):
    """The last context frame with fresh noise in every pixel of every frame, from the latent."""

    name = "flicker"

    def forward(self, z, condition=None):
        return GeneratorOutput((self.held(condition) + 0.5 * z).clamp(-1, 1))


class Peeking(HandMade):
    """Returns the real clip whose context it is given: it looks the context up among the clips."""

    name = "peeking"

    def __init__(self, clip, clips):
        super().__init__(clip)
        self.futures = {self.key(torch.as_tensor(c).permute(3, 0, 1, 2)[:, : clip.context]): c for c in clips}

    @staticmethod
    def key(frames_uint8):
        return frames_uint8.to(torch.uint8).numpy().tobytes()

    def forward(self, z, condition=None):
        levels = condition.add(1).mul(127.5).round().cpu()
        clips = np.stack([self.futures[self.key(context)] for context in levels])
        video = torch.as_tensor(clips).permute(0, 4, 1, 2, 3).float().div(127.5).sub(1)
        return GeneratorOutput(video + self.anchor)


@pytest.fixture(scope="module")
def clips():
    rendered = np.stack([render_clip((7, i), FRAMES, SIZE, max_players=3) for i in range(10)])
    return {"train": rendered[:6], "val": rendered[6:]}


@pytest.fixture
def store(tmp_path, clips):
    writer = ClipWriter(tmp_path / "store", ClipSpec(FRAMES, SIZE), {"motion protocol test": 1})
    for split, part in clips.items():
        writer.add(split, part, split)
    return writer.finish()


def metric(name, clip, **options):
    cls = plugins.implementation("metric", plugins.registry("metric").get(name))
    return cls(cls.Config(**options), clip)


@pytest.fixture
def evaluate(store, tmp_path, alexnet_weights, i3d_weights):
    def run(generator, names=("ssim", "psnr", "lpips", "fvd", "motion"), samples=3):
        clip = generator.clip
        options = {"fvd": {"weights": str(i3d_weights), "warn_below": 0}}
        metrics = [metric(name, clip, **options.get(name, {})) for name in names]
        evaluator = Evaluator(metrics, store, "val", 4, tmp_path / "stats", batch_size=2, samples=samples)
        return evaluator(generator)

    return run


PAIRED = ("ssim", "psnr", "lpips")


def test_copying_the_last_frame_is_motion_0_deterministic_and_the_copy_last_baseline(evaluate):
    results = evaluate(CopyLast(ClipSpec(FRAMES, SIZE)))
    motion = results["motion"]
    assert motion["motion"] == 0 and motion["static_share"] == 1 and motion["verdict"] == "too still"
    assert motion["real_energy"] > 0.5 and motion["moving_share"] == 0
    for name in PAIRED:
        entry = results[name]
        copy = entry["baselines"]["copy_last"][name]
        assert entry["best_of_k"]["value"] == pytest.approx(copy, abs=1e-6)
        assert entry["mean_of_k"]["value"] == pytest.approx(copy, abs=1e-6) == pytest.approx(entry[name])
        assert entry["samples"] == 3 and entry["per_frame"]["frames"] == list(range(1, FRAMES))
        curve = entry["baselines"]["copy_last"]["per_frame"]["mean"]
        assert curve == pytest.approx(entry["per_frame"]["mean_of_k"], abs=1e-6)
    diversity = results[DIVERSITY]
    assert diversity["deterministic"] and diversity["l1"] == 0 and diversity["lpips"] == pytest.approx(0, abs=1e-6)
    assert diversity["note"] == "deterministic: best-of-K = mean-of-K"
    # a still video shuffled in time is itself: FVD cannot see motion in it
    check = results["fvd"]["shuffle_check"]
    assert check["fvd"] == pytest.approx(check["unshuffled"], abs=1e-9) and not check["sees_order"]
    assert check["says"].startswith("fvd sees no motion here")
    protocol = results["ssim"]["protocol"]
    assert (protocol["context"], protocol["samples"], protocol["scored_frames"]) == (1, 3, [1, FRAMES - 1])


def test_the_real_future_moves_like_the_real_clips_and_beats_every_baseline(evaluate, clips):
    results = evaluate(Peeking(ClipSpec(FRAMES, SIZE), clips["val"]), names=(*PAIRED, "motion"))
    motion = results["motion"]
    assert motion["motion"] == pytest.approx(1.0) and motion["verdict"] == "moves like the real clips"
    assert motion["moving_share"] == pytest.approx(motion["real_moving_share"])
    assert results["ssim"]["ssim"] == pytest.approx(1) and results["lpips"]["lpips"] == pytest.approx(0, abs=1e-6)
    for name in (*PAIRED, "motion"):
        baselines = results[name]["baselines"]
        assert baselines and all(entry["model_beats"] for entry in baselines.values()), (name, baselines)
    # FVD with the test's randomly initialised I3D hardly depends on its input, so it is left to
    # tests/plugins/vpkit_metrics/test_real_weights.py (real weights) to show that shuffling real clips changes it


def test_fresh_noise_per_frame_flickers_and_has_diversity(evaluate):
    results = evaluate(Flicker(ClipSpec(FRAMES, SIZE)), names=(*PAIRED, "motion"))
    assert results["motion"]["verdict"] == "flickers" and results["motion"]["motion"] > 2
    diversity = results[DIVERSITY]
    assert not diversity["deterministic"] and diversity["l1"] > 10 and diversity["lpips"] > 0
    assert diversity["diversity"] == diversity["lpips"] and "note" not in diversity
    for name in PAIRED:  # with spread, the best of 3 is better than their mean
        entry, lower = results[name], name == "lpips"
        best, mean = entry["best_of_k"]["value"], entry["mean_of_k"]["value"]
        assert (best < mean) if lower else (best > mean)
        assert entry["best_of_k"]["ci95"][0] <= best <= entry["best_of_k"]["ci95"][1]


def test_two_context_frames_score_the_frames_after_them(evaluate):
    results = evaluate(CopyLast(ClipSpec(FRAMES, SIZE, context=2)), names=("psnr", "motion"), samples=2)
    psnr = results["psnr"]
    assert psnr["protocol"]["scored_frames"] == [2, FRAMES - 1] and psnr["per_frame"]["frames"] == list(
        range(2, FRAMES)
    )
    assert psnr["psnr"] == pytest.approx(psnr["baselines"]["copy_last"]["psnr"])
    assert psnr["baselines"]["copy_last"]["video"].startswith("each evaluation clip's 2 context frame(s)")
    assert results["motion"]["motion"] == 0 and results["motion"]["per_frame"]["frames"] == list(range(2, FRAMES))


def test_sample_0_is_the_video_of_a_one_sample_evaluation(evaluate):
    """So FVD and the motion statistics, which see sample 0, do not depend on K."""
    one, four = (evaluate(Flicker(ClipSpec(FRAMES, SIZE)), names=("motion",), samples=k)["motion"] for k in (1, 4))
    assert one["motion"] == pytest.approx(four["motion"], rel=1e-6)
