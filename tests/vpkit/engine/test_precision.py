"""Mixed precision on the CPU: bf16 and fp16 runs finish, and fp16 keeps its gradient scalers
in the checkpoint so that a resumed run continues from their state.

fp16 on the CPU is allowed, not refused: torch's CPU autocast and ``GradScaler("cpu")`` implement
it (slower than fp32 there), so a run file written for a GPU also runs on a laptop.
"""

import math

import pytest
import torch

from vpkit.config.runfile import load_run
from vpkit.engine.checkpoint import load_checkpoint
from vpkit.engine.generate import generate, load_generator
from vpkit.engine.precision import Precision
from vpkit.engine.train.trainer import train_run
from vpkit.errors import ConfigError


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_a_mixed_precision_run_finishes_and_resumes(tiny_run, tmp_path, precision):
    path = tiny_run(steps=2)
    run_dir = tmp_path / precision
    train_run(load_run(path, [f"train.precision={precision}"]), run_dir)
    state = load_checkpoint(run_dir / "checkpoints" / "last.pt")
    assert all(math.isfinite(v.float().abs().max().item()) for v in state["generator"].values())
    assert all(
        v.dtype == torch.float32 for v in state["generator"].values() if v.is_floating_point()
    )  # weights stay fp32
    if precision == "fp16":
        assert set(state["scalers"]) == {"generator", "discriminator"}
        assert state["scalers"]["generator"]["scale"] > 0
    else:
        assert state["scalers"] == {"generator": {}, "discriminator": {}}  # bf16 needs no scaling
    trainer = train_run(load_run(path, [f"train.precision={precision}", "train.steps=3"]), run_dir, resume=True)
    assert trainer.step == 3
    assert trainer.precision.state_dict()["generator"].get("scale") == (
        pytest.approx(load_checkpoint(run_dir / "checkpoints" / "last.pt")["scalers"]["generator"]["scale"])
        if precision == "fp16"
        else None
    )
    # sampling uses the run's precision and gives float32 videos in [-1, 1]
    trained = load_generator(run_dir, device="cpu")
    assert trained.precision.name == precision
    video = generate(trained.generator, 2, seed=0, precision=trained.precision).video
    assert video.dtype == torch.float32 and video.abs().max() <= 1


def test_autocast_runs_the_forward_pass_in_the_precision_asked_for():
    layer = torch.nn.Linear(4, 4)
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16), ("fp16", torch.float16)):
        with Precision(name, torch.device("cpu")).autocast():
            assert layer(torch.ones(1, 4)).dtype == dtype


def test_an_unknown_precision_is_refused_with_the_choices(tiny_run):
    with pytest.raises(ConfigError, match="train.precision"):
        load_run(tiny_run(steps=1), ["train.precision=fp8"])


def test_channels_last_trains_the_weights_of_the_default_layout(tiny_run, tmp_path):
    """The memory format changes how convolutions read their inputs, not what they compute."""
    path = tiny_run(steps=2)
    train_run(load_run(path), tmp_path / "default")
    trainer = train_run(load_run(path, ["train.channels_last=true"]), tmp_path / "channels_last")
    assert any(
        p.dim() == 5 and p.is_contiguous(memory_format=torch.channels_last_3d) and not p.is_contiguous()
        for p in trainer.D.parameters()
    )
    a = load_checkpoint(tmp_path / "default" / "checkpoints" / "last.pt")
    b = load_checkpoint(tmp_path / "channels_last" / "checkpoints" / "last.pt")
    for net in ("generator", "discriminator"):
        for name, value in a[net].items():
            torch.testing.assert_close(b[net][name], value, rtol=1e-4, atol=1e-5, msg=f"{net}.{name}")
