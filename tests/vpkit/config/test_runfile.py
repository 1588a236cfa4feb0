import pytest

from vpkit.config.runfile import load_run
from vpkit.errors import ConfigError

GOOD = """\
clip: {frames: 16, size: 32}
source: synthetic
model:
  generator: {name: videogan, width: 0.25}
  discriminator: videogan
train:
  steps: 10
  batch_size: 4
"""


def error_of(path, overrides=()):
    with pytest.raises(ConfigError) as err:
        load_run(path, list(overrides))
    assert err.value.exit_code == 2
    return err.value.message


def test_valid_file_resolves_components_and_defaults(write_yaml):
    run = load_run(write_yaml(GOOD))
    assert run.generator.cls.name == "videogan" and run.generator.config.width == 0.25
    assert run.discriminator.config.width == 1.0  # bare string is shorthand for {name: ...}
    assert (run.clip.frames, run.clip.size, run.clip.context) == (16, 32, 1)
    assert run.config.train.lr == 2e-4 and run.config.train.betas == (0.5, 0.999)
    resolved = run.resolved_dict()
    assert resolved["model"]["generator"] == {
        "name": "videogan",
        "latent_dim": 100,
        "width": 0.25,
        "mask_penalty": 0.1,
        "foreground": "generated",
        "max_speed": None,
        "velocity_pooling": 0,
        "mask_bias": 0.0,
        "upsample": "transposed",
        "init": "paper",
    }


def test_schedule_defaults_to_the_generators_and_keys_override_it(write_yaml):
    schedule = load_run(write_yaml(GOOD)).config.train.schedule
    assert (schedule.d_steps, schedule.g_steps, schedule.g_extra_every) == (1, 1, 3)
    schedule = load_run(
        write_yaml(GOOD), ["train.schedule.g_extra_every=0", "train.schedule.d_steps=2"]
    ).config.train.schedule
    assert (schedule.d_steps, schedule.g_steps, schedule.g_extra_every) == (2, 1, 0)


def test_bound_error_names_file_line_and_path(write_yaml):
    path = write_yaml(GOOD.replace("batch_size: 4", "batch_size: 0"))
    assert error_of(path) == "run.yaml:8: train.batch_size: must be > 0, got 0"


def test_unknown_top_level_and_nested_keys_suggest(write_yaml):
    path = write_yaml(GOOD + "trian: {}\n")
    assert error_of(path).startswith("run.yaml:9: trian: unknown key 'trian' (did you mean 'train'?)")
    path = write_yaml(GOOD.replace("steps: 10", "stpes: 10"))
    assert error_of(path).startswith("run.yaml:7: train.stpes: unknown key 'stpes' (did you mean 'steps'?)")


def test_unknown_component_option_suggests(write_yaml):
    path = write_yaml(GOOD.replace("width: 0.25", "widht: 0.25"))
    message = error_of(path)
    assert message.startswith("run.yaml:4: model.generator.widht: unknown key 'widht' (did you mean 'width'?)")


def test_unknown_plugin_name(write_yaml):
    path = write_yaml(GOOD.replace("{name: videogan, width", "{name: videogna, width"))
    assert error_of(path) == (
        "run.yaml:4: model.generator.name: unknown generator 'videogna' (did you mean 'videogan'?); "
        "available: videogan, videogan_future"
    )


def test_wrong_type(write_yaml):
    path = write_yaml(GOOD.replace("steps: 10", "steps: ten"))
    message = error_of(path)
    assert message.startswith("run.yaml:7: train.steps: input should be a valid integer")
    assert "'ten'" in message


def test_missing_section_and_missing_name(write_yaml):
    assert error_of(write_yaml("source: synthetic\n")) == "run.yaml:1: missing required key 'model'"
    path = write_yaml(GOOD.replace("source: synthetic", "source: {train_clips: 3}"))
    assert error_of(path) == "run.yaml:2: source: missing required key 'name'"


def test_impossible_shape_points_at_clip(write_yaml):
    path = write_yaml(GOOD.replace("frames: 16", "frames: 20"))
    message = error_of(path)
    assert message.startswith("run.yaml:1: clip: generator 'videogan' cannot make these clips: frames must be")


def test_every_error_is_reported_at_once(write_yaml):
    path = write_yaml(GOOD.replace("batch_size: 4", "batch_size: -1").replace("steps: 10", "steps: 0"))
    assert len(error_of(path).splitlines()) == 2


def test_yaml_syntax_error_has_a_line(write_yaml):
    path = write_yaml("source: synthetic\nmodel: [unclosed\n")
    assert error_of(path).startswith("run.yaml:3: invalid YAML")


def test_missing_file_and_non_mapping(tmp_path, write_yaml):
    assert error_of(tmp_path / "nope.yaml").endswith("nope.yaml: no such run file")
    assert "a run file is a mapping" in error_of(write_yaml("- a\n- b\n"))


def test_set_overrides_typed_by_yaml(write_yaml):
    run = load_run(write_yaml(GOOD), ["train.lr=1e-4", "model.discriminator.width=0.5", "train.device=cpu"])
    assert run.config.train.lr == 1e-4
    assert run.discriminator.config.width == 0.5
    assert run.config.train.device == "cpu"


def test_set_unknown_key_is_an_error(write_yaml):
    assert error_of(write_yaml(GOOD), ["train.lrr=1"]).startswith(
        "--set train.lrr: unknown key 'lrr' (did you mean 'lr'?)"
    )
    assert error_of(write_yaml(GOOD), ["train.batch_size=0"]) == "--set train.batch_size: must be > 0, got 0"
    assert "expected KEY=VALUE" in error_of(write_yaml(GOOD), ["train.lr"])
    assert "is not a section" in error_of(write_yaml(GOOD), ["train.steps.x=1"])


def test_bad_device(write_yaml):
    assert "expected auto, cpu, cuda or cuda:N" in error_of(write_yaml(GOOD), ["train.device=gpu0"])


def test_set_metrics_as_a_list_of_names(write_yaml):
    path = write_yaml("""\
        clip: {frames: 16, size: 32}
        source: synthetic
        model: {generator: videogan, discriminator: videogan}
        """)
    run = load_run(path, ["metrics=[fvd]", "evaluation.videos=8"])
    assert [m.cls.name for m in run.metrics] == ["fvd"] and run.config.evaluation.videos == 8


@pytest.mark.parametrize(
    "override, message",
    [
        # each of these passed validation and then crashed `vpkit run` with a traceback
        ("train.betas=[2, -1]", "--set train.betas: each beta must be in [0, 1), got [2.0, -1.0]"),
        ("train.device=meta", "--set train.device: expected auto, cpu, cuda or cuda:N, got 'meta'"),
        ("seed=1" + "0" * 40, "--set seed: must be < 4294967296, got 1" + "0" * 40),
        ("seed=-1", "--set seed: must be >= 0, got -1"),
        ("model.generator.width=.inf", "--set model.generator.width: input should be a finite number, got inf"),
        ("model.discriminator.width=.inf", "--set model.discriminator.width: input should be a finite number, got inf"),
        ("train.fps=1.0e-300", "--set train.fps: must be >= 0.1, got 1e-300"),
        ("train.fps=1.0e+300", "--set train.fps: must be <= 240.0, got 1e+300"),
        ("clip.context=0", "--set clip.context: must be >= 1, got 0"),
        ('output.dir="runs/a\\0b"', "--set output.dir: a path cannot hold a NUL character, got 'runs/a\\x00b'"),
    ],
)
def test_validation_refuses_what_a_run_cannot_do(write_yaml, override, message):
    assert error_of(write_yaml(GOOD), [override]) == message


def test_context_leaves_frames_to_predict(write_yaml):
    message = "run.yaml:1: clip: context must be below frames, to leave frames to predict; got context 16, frames 16"
    assert error_of(write_yaml(GOOD), ["clip.context=16"]) == message
    assert load_run(write_yaml(GOOD), ["clip.context=2"]).clip.context == 2


def test_a_long_value_is_cut_in_the_message(write_yaml):
    message = error_of(write_yaml(GOOD.replace("steps: 10", "steps: " + "x" * 100_000)))
    assert len(message) < 300 and "(100002 characters)" in message


def test_a_huge_integer_in_set_is_a_short_error(write_yaml):
    assert (
        error_of(write_yaml(GOOD), ["train.lr=" + "9" * 5000])
        == "--set train.lr: an integer of 5000 digits is too long"
    )


def test_hostile_yaml_is_reported_with_file_and_line(write_yaml):
    assert (
        error_of(write_yaml(GOOD + "train: {}\n"))
        == "run.yaml:9: invalid YAML: duplicate key 'train' (first on line 6); keep one"
    )
    path = write_yaml("")
    path.write_bytes(GOOD.encode().replace(b"steps: 10", b"steps: \xe9"))
    assert error_of(path) == "run.yaml:7: not UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_thousands_of_errors_show_the_first_few_and_a_count(write_yaml):
    """5,000 unknown keys: `vpkit validate` prints ten of them and how many more, not 5,000 lines."""
    from click.testing import CliRunner

    from vpkit.commands.cli import cli
    from vpkit.config.located import SHOWN_ERRORS

    unknown = "".join(f"  key_{i}: 1\n" for i in range(5000))
    path = write_yaml(GOOD + unknown)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    lines = result.output.splitlines()
    assert result.exit_code == 2 and len(lines) == SHOWN_ERRORS + 1, result.output[:2000]
    assert lines[0].startswith("Error: run.yaml:9: train.key_0: unknown key 'key_0'; allowed: ")
    assert lines[SHOWN_ERRORS - 1].startswith(f"run.yaml:{8 + SHOWN_ERRORS}: train.key_{SHOWN_ERRORS - 1}: unknown key")
    assert lines[-1] == f"... and {5000 - SHOWN_ERRORS} more errors"


def test_a_few_errors_are_all_shown(write_yaml):
    path = write_yaml(GOOD.replace("steps: 10", "stpes: 10").replace("batch_size: 4", "batch_sise: 4"))
    assert error_of(path).count("\n") == 1 and "more errors" not in error_of(path)
