import pytest
import torch

from vpkit import VpkitError
from vpkit.atomic import atomic_path
from vpkit.engine.checkpoint import TO_RESUME, load_checkpoint, save_checkpoint


def state(step):
    return {"generator": {"w": torch.full((2,), float(step))}, "discriminator": {}, "step": step}


def test_round_trip(tmp_path):
    path = save_checkpoint(tmp_path / "ck" / "last.pt", state(3))
    loaded = load_checkpoint(path)
    assert loaded["step"] == 3 and torch.equal(loaded["generator"]["w"], torch.full((2,), 3.0))


def test_a_full_disk_keeps_the_previous_checkpoint(tmp_path, full_disk):
    path = save_checkpoint(tmp_path / "last.pt", state(1))
    larger = {**state(2), "generator": {"w": torch.zeros(100_000)}}
    with full_disk(100_000), pytest.raises(VpkitError) as err:
        save_checkpoint(path, larger)  # torch reports this as "RuntimeError: [enforce fail at inline_container.cc]"
    assert err.value.message == (
        f"{path}: cannot write the checkpoint (the file could not be written in full; is the "
        "disk full?); the previous one is kept, and --resume continues from it"
    )
    assert load_checkpoint(path)["step"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["last.pt"]


def test_interrupted_write_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(tmp_path / "x.json") as tmp:
            tmp.write_text("{")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_unsafe_or_foreign_files_are_refused(tmp_path):
    import argparse

    torch.save({"generator": argparse.Namespace(), "discriminator": {}, "step": 1}, tmp_path / "pickle.pt")
    with pytest.raises(VpkitError, match="not a readable vpkit checkpoint"):
        load_checkpoint(tmp_path / "pickle.pt")  # weights_only refuses arbitrary objects
    with pytest.raises(VpkitError, match="no checkpoint there"):
        load_checkpoint(tmp_path / "absent.pt")


def damaged(tmp_path, how: str):
    """A checkpoint file damaged, hand-made or foreign in one way."""
    path = tmp_path / f"{how}.pt"
    good = {**state(4), "optimizers": {"generator": {"state": {}, "param_groups": []}}}
    if how in ("truncated", "text", "empty"):
        torch.save(good, path)
        data = path.read_bytes()
        path.write_bytes({"truncated": data[: len(data) // 2], "text": b"not a checkpoint\n", "empty": b""}[how])
    else:
        edits = {
            "no step": {"step": None},
            "step four": {"step": "four"},
            "generator string": {"generator": "G.pt"},
            "weights only": {"weights": torch.zeros(1), "generator": None},
        }[how]
        torch.save({k: v for k, v in {**good, **edits}.items() if v is not None}, path)
    return path


@pytest.mark.parametrize(
    "how, problem",
    [
        ("truncated", "not a readable vpkit checkpoint: the file is cut short (an interrupted copy?)"),
        ("text", "not a readable vpkit checkpoint: not a file torch.save wrote"),
        ("empty", "not a readable vpkit checkpoint: the file is empty"),
        ("no step", "not a vpkit checkpoint: it has no 'step' (a step count, an integer >= 0)"),
        ("step four", "not a vpkit checkpoint: 'step' should be a step count, an integer >= 0, got 'four'"),
        (
            "generator string",
            "not a vpkit checkpoint: 'generator' should be the generator's weights, a mapping of names "
            "to tensors, got 'G.pt'",
        ),
        (
            "weights only",
            "not a vpkit checkpoint: it has no 'generator' (the generator's weights, a mapping of names to tensors)",
        ),
    ],
)
def test_a_damaged_or_foreign_checkpoint_is_named_with_what_is_wrong(tmp_path, how, problem):
    path = damaged(tmp_path, how)
    with pytest.raises(VpkitError) as err:
        load_checkpoint(path)
    assert err.value.message == f"{path}: {problem}"


def test_resuming_needs_the_optimiser_states(tmp_path):
    path = save_checkpoint(tmp_path / "last.pt", state(4))
    assert load_checkpoint(path)["step"] == 4  # enough to sample from
    with pytest.raises(VpkitError) as err:
        load_checkpoint(path, needs=TO_RESUME)
    assert err.value.message == (
        f"{path}: not a vpkit checkpoint: it has no 'optimizers' "
        "(the generator's and the discriminator's optimiser states)"
    )


@pytest.mark.parametrize("ema", [0, 0.9])
def test_what_the_trainer_writes_is_the_schema(tiny_run, tmp_path, ema):
    """Every entry a run writes is in SCHEMA and passes its check; generator_training only beside an average."""
    from vpkit.config.runfile import load_run
    from vpkit.engine.checkpoint import SCHEMA
    from vpkit.engine.train.trainer import train_run

    train_run(load_run(tiny_run(steps=1), [f"train.ema={ema}"]), tmp_path / "run")
    state = load_checkpoint(tmp_path / "run" / "checkpoints" / "last.pt", needs=TO_RESUME)
    assert set(state) == set(SCHEMA) - (set() if ema else {"generator_training"})
    assert all(SCHEMA[key].check(value) for key, value in state.items())
