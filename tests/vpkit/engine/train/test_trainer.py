"""Trainer: seeded determinism, exact resume, schedule counts, run directory contents."""

import json

import pytest
import torch

from vpkit import GeneratorOutput
from vpkit.config.runfile import load_run
from vpkit.engine.checkpoint import load_checkpoint
from vpkit.engine.generate import load_generator
from vpkit.engine.train.trainer import Trainer, train_run
from vpkit.errors import ConfigError


def losses(run_dir):
    return [(r["loss_d"], r["loss_g"]) for r in map(json.loads, (run_dir / "log.jsonl").read_text().splitlines())]


def test_same_seed_gives_identical_losses(tiny_run, tmp_path):
    path = tiny_run(steps=4)
    train_run(load_run(path), tmp_path / "a")
    train_run(load_run(path), tmp_path / "b")
    assert losses(tmp_path / "a") == losses(tmp_path / "b")
    assert len(losses(tmp_path / "a")) == 4


@pytest.mark.parametrize("overrides", [[], ["train.ema=0.5"]], ids=["plain", "weight_average"])
def test_resumed_run_ends_with_the_same_weights(tiny_run, tmp_path, overrides):
    path = tiny_run(steps=6)
    train_run(load_run(path, overrides), tmp_path / "straight")
    train_run(load_run(path, [*overrides, "train.steps=3"]), tmp_path / "stopped")
    assert load_checkpoint(tmp_path / "stopped" / "checkpoints" / "last.pt")["step"] == 3
    train_run(load_run(path, overrides), tmp_path / "stopped", resume=True)

    a = load_checkpoint(tmp_path / "straight" / "checkpoints" / "last.pt")
    b = load_checkpoint(tmp_path / "stopped" / "checkpoints" / "last.pt")
    assert a["step"] == b["step"] == 6
    assert ("generator_training" in a) == bool(overrides)
    for net in ("generator", "discriminator", *(["generator_training"] if overrides else [])):
        assert a[net].keys() == b[net].keys()
        for key in a[net]:
            assert torch.equal(a[net][key], b[net][key]), f"{net}.{key} differs after resume"
    assert losses(tmp_path / "straight") == losses(tmp_path / "stopped")


def test_checkpoint_holds_full_state_and_loads_weights_only(tiny_run, tmp_path):
    train_run(load_run(tiny_run(steps=2)), tmp_path / "run")
    state = torch.load(tmp_path / "run" / "checkpoints" / "last.pt", weights_only=True)
    assert {"generator", "discriminator", "optimizers", "step", "rng", "config"} <= state.keys()
    assert set(state["optimizers"]) == {"generator", "discriminator"}
    assert state["config"]["model"]["generator"]["name"] == "videogan"
    assert {"torch", "feeder"} <= state["rng"].keys()


def test_updates_follow_the_schedule(tiny_run, tmp_path):
    """Count real optimiser steps over 6 training steps with the every-third-step schedule."""
    run = load_run(tiny_run(steps=6))
    trainer = Trainer(run, tmp_path / "run")
    trainer.setup()
    counts = {"d": 0, "g": 0}
    trainer.opt_d.register_step_post_hook(lambda *_: counts.__setitem__("d", counts["d"] + 1))
    trainer.opt_g.register_step_post_hook(lambda *_: counts.__setitem__("g", counts["g"] + 1))
    try:
        trainer.train()
    finally:
        trainer.cleanup()
    assert counts == {"d": 6, "g": 8}  # one extra generator update on steps 3 and 6


def test_generator_losses_join_the_objective(tiny_run, tmp_path):
    run = load_run(tiny_run(steps=1))
    trainer = Trainer(run, tmp_path / "run")
    trainer.setup()
    stats = trainer.train_step(1)
    trainer.cleanup()
    assert abs(stats["loss_g"] - (stats["loss_g_adv"] + stats["loss_g_mask_l1"])) < 1e-6
    assert 0 < stats["d_real"] < 1 and 0 < stats["d_fake"] < 1


def test_the_generator_update_computes_no_gradients_for_the_discriminator(tiny_run, tmp_path):
    """D's gradients after a step are those of its own update: the generator's pass through D
    (which needs D's input gradients only) left them alone, and D is trainable again."""
    trainer = Trainer(load_run(tiny_run(steps=1)), tmp_path / "run")
    trainer.setup()
    after_d_update = {}
    trainer.opt_d.register_step_post_hook(
        lambda *_: after_d_update.update({n: p.grad.clone() for n, p in trainer.D.named_parameters()})
    )
    try:
        trainer.train_step(1)
        for name, parameter in trainer.D.named_parameters():
            assert parameter.requires_grad
            assert torch.equal(parameter.grad, after_d_update[name]), name
        assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in trainer.G.parameters())
    finally:
        trainer.cleanup()


def test_hinge_objective_and_r1_penalty_shape_the_losses(tiny_run, tmp_path):
    trainer = Trainer(
        load_run(tiny_run(steps=1), ["train.objective=hinge", "train.r1=10", "train.schedule.g_extra_every=0"]),
        tmp_path / "run",
    )
    trainer.setup()
    try:
        stats = trainer.train_step(1)
    finally:
        trainer.cleanup()
    assert stats["r1"] > 0
    # The generator's hinge loss is the negated mean logit, which can be negative, unlike cross-entropy.
    assert stats["loss_g"] == pytest.approx(stats["loss_g_adv"] + stats["loss_g_mask_l1"], abs=1e-6)
    # The discriminator's loss holds the penalty: at least the hinge terms' floor of 0 plus r1 / 2 times it.
    assert stats["loss_d"] >= 10 / 2 * stats["r1"] - 1e-6


FUTURE = ["model.generator.name=videogan_future", "model.generator.mask_penalty=0"]


def test_reconstruction_and_adversarial_weights_shape_the_objective(tiny_run, tmp_path):
    overrides = [
        *FUTURE,
        "train.adversarial=0",
        "train.reconstruction.weight=2",
        "train.reconstruction.loss=l2",
        "train.lr_d=1e-3",
    ]
    trainer = Trainer(load_run(tiny_run(steps=1), overrides), tmp_path / "run")
    trainer.setup()
    discriminator = {name: value.clone() for name, value in trainer.D.state_dict().items()}
    try:
        assert trainer.opt_d.param_groups[0]["lr"] == 1e-3 and trainer.opt_g.param_groups[0]["lr"] == 2e-4
        stats = trainer.train_step(1)
    finally:
        trainer.cleanup()
    assert stats["loss_g_clip_reconstruction"] > 0
    # nothing reads the discriminator: it is neither run (its BatchNorm statistics stay) nor trained
    assert all(torch.equal(value, discriminator[name]) for name, value in trainer.D.state_dict().items())
    assert trainer.opt_d.state == {} and not {"loss_d", "d_real", "d_fake", "loss_g_adv"} & stats.keys()
    # adversarial weight 0: the objective is the generator's own first-frame loss plus the trainer's.
    expected = stats["loss_g_context"] + stats["loss_g_clip_reconstruction"]
    assert abs(stats["loss_g"] - expected) < 1e-6


def test_reconstruction_needs_a_conditional_generator(tiny_run, tmp_path):
    trainer = Trainer(load_run(tiny_run(steps=1), ["train.reconstruction.weight=1"]), tmp_path / "run")
    with pytest.raises(
        ConfigError, match="train.reconstruction needs a conditional generator; videogan is unconditional"
    ):
        trainer.setup()
    trainer.cleanup()
    assert not (tmp_path / "run").exists()


def test_several_samples_per_context_reach_the_generator_and_one_each_the_discriminator(tiny_run, tmp_path):
    overrides = [*FUTURE, "model.generator.noise=4", "train.reconstruction.weight=1", "train.reconstruction.samples=3"]
    trainer = Trainer(load_run(tiny_run(steps=1), overrides), tmp_path / "run")
    trainer.setup()
    seen = {"G": [], "D": []}
    trainer.G.register_forward_hook(lambda module, args, output: seen["G"].append((args[0], args[1])))
    trainer.D.register_forward_hook(lambda module, args, output: seen["D"].append(args[0].shape[0]))
    try:
        stats = trainer.train_step(1)
    finally:
        trainer.cleanup()
    batch = trainer.settings.batch_size
    z, condition = seen["G"][0]
    assert z.shape == (3 * batch, 4) and condition.shape[0] == 3 * batch
    assert torch.equal(condition[:batch], condition[batch : 2 * batch])  # sample-major: the contexts repeat
    assert not torch.equal(z[:batch], z[batch : 2 * batch])  # each sample its own latents
    assert seen["D"][:2] == [batch, batch]  # the discriminator's update: the real clips and one prediction of each
    assert seen["D"][2] == 3 * batch  # the generator's adversarial loss judges every sample
    assert stats["loss_g_clip_reconstruction"] > 0


def test_a_generator_that_infers_its_latent_is_given_the_real_clip_and_its_kl_term_joins_the_objective(
    tiny_run, tmp_path
):
    overrides = [*FUTURE, "model.generator.noise=4", "model.generator.posterior=true", "train.reconstruction.weight=1"]
    trainer = Trainer(load_run(tiny_run(steps=1), overrides), tmp_path / "run")
    trainer.setup()
    seen = []
    trainer.G.register_forward_hook(lambda module, args, output: seen.append(args))
    try:
        stats = trainer.train_step(1)
    finally:
        trainer.cleanup()
    _, condition, real = seen[0]
    clip = trainer.run.clip
    assert real.shape == (trainer.settings.batch_size, 3, clip.frames, clip.size, clip.size)
    assert torch.equal(condition, real[:, :, :1])  # the clip whose first frame is the context
    assert stats["loss_g_kl"] > 0


def test_samples_need_a_reconstruction_weight(tiny_run, tmp_path):
    trainer = Trainer(load_run(tiny_run(steps=1), [*FUTURE, "train.reconstruction.samples=2"]), tmp_path / "run")
    with pytest.raises(ConfigError, match="train.reconstruction.samples picks the best of several predictions"):
        trainer.setup()
    trainer.cleanup()


def test_weight_average_is_what_samples_checkpoints_and_load_generator_use(tiny_run, tmp_path):
    trainer = train_run(load_run(tiny_run(steps=3), ["train.ema=0.9"]), tmp_path / "run")
    state = load_checkpoint(tmp_path / "run" / "checkpoints" / "last.pt")
    average, live = state["generator"], state["generator_training"]
    assert any(not torch.equal(average[key], live[key]) for key in average)
    for key, value in trainer.average.model.state_dict().items():
        assert torch.equal(average[key], value)
    loaded = load_generator(tmp_path / "run", device="cpu").generator.state_dict()
    assert all(torch.equal(loaded[key], average[key]) for key in average)


def test_gradient_difference_joins_the_reconstruction_loss(tiny_run, tmp_path):
    base = [*FUTURE, "train.adversarial=0", "train.reconstruction.weight=1", "train.reconstruction.loss=l2"]
    stats = {}
    for gradient in (0, 5):
        trainer = Trainer(
            load_run(tiny_run(steps=1), [*base, f"train.reconstruction.gradient={gradient}"]), tmp_path / f"g{gradient}"
        )
        trainer.setup()
        try:
            stats[gradient] = trainer.train_step(1)
        finally:
            trainer.cleanup()
    # the same seed gives the same first prediction: only the added gradient-difference term differs
    assert stats[5]["loss_g_clip_reconstruction"] > stats[0]["loss_g_clip_reconstruction"]


def test_a_horizon_warmup_scores_the_near_frames_first(tiny_run, tmp_path):
    base = [*FUTURE, "train.adversarial=0", "train.reconstruction.weight=1", "model.generator.context_weight=0"]
    trainer = Trainer(load_run(tiny_run(steps=1), [*base, "train.reconstruction.warmup=1000"]), tmp_path / "run")
    trainer.setup()
    real = torch.zeros(2, 3, trainer.run.clip.frames, trainer.run.clip.size, trainer.run.clip.size)
    video = real.clone()
    video[:, :, 2:] = 1.0  # wrong from the third frame on
    output = GeneratorOutput(video=video.requires_grad_(True), parts={}, losses={})
    try:
        near = trainer._update_generator(1, output, real, adversarial=False)
        whole = trainer._update_generator(1000, output, real, adversarial=False)
    finally:
        trainer.cleanup()
    assert near["loss_g_clip_reconstruction"] == 0  # step 1 scores the context frame and the first predicted one
    assert whole["loss_g_clip_reconstruction"] > 0
