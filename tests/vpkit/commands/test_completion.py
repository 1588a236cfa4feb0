"""Shell completion, answered by the real bash script vpkit prints, and the keys behind it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vpkit import plugins
from vpkit.commands.completion import run_file_in, set_keys

ROOT = Path(__file__).resolve().parents[3]
QUICKSTART = ROOT / "examples" / "quickstart.yaml"


def bash_completions(line: str) -> list[str]:
    """What bash offers at the end of ``line``, through the script of ``vpkit`` itself."""
    vpkit = Path(sys.executable).parent / "vpkit"
    script = (
        f'source <(_VPKIT_COMPLETE=bash_source "{vpkit}")\n'
        f'COMP_LINE="$1"; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=()\n'
        f"_vpkit_completion vpkit\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{vpkit.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", script, "bash", line], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [word for word in result.stdout.splitlines() if word]


pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def test_bash_completes_commands_keys_names_and_choices():
    assert bash_completions("vpkit valid") == ["validate"]
    assert bash_completions(f"vpkit run {QUICKSTART} --set train.st") == ["train.steps="]
    # bash splits words at '=': it is offered only what follows it
    assert bash_completions(f"vpkit run {QUICKSTART} --set model.generator.name=") == ["videogan", "videogan_future"]
    assert bash_completions(f"vpkit run {QUICKSTART} --set evaluation.split=") == ["train", "val"]
    # options of the component the run file names, found while --set still waits for its value
    assert bash_completions(f"vpkit validate {QUICKSTART} --set model.generator.w") == ["model.generator.width="]
    assert bash_completions(f"vpkit run {QUICKSTART} --set source.max_p") == ["source.max_players="]


def test_bash_completes_metric_lists_and_component_names():
    assert bash_completions("vpkit evaluate runs/x --metrics ss") == ["ssim"]
    assert bash_completions("vpkit evaluate runs/x --metrics ssim,p") == ["ssim,psnr"]  # the names not given yet
    others = set(plugins.registry("metric").classes) - {"fvd", "lpips"}
    assert set(bash_completions("vpkit score a b --metrics fvd,lpips,")) == {f"fvd,lpips,{name}" for name in others}
    assert bash_completions("vpkit plugins videogan_") == ["videogan_future"]


def test_keys_cover_every_core_section_and_the_named_components(write_yaml):
    path = write_yaml("""\
        source: synthetic
        model: {generator: videogan_future, discriminator: videogan}
        metrics: [ssim, {name: lpips, net: vgg}]
    """)
    keys = set_keys(path)
    assert {"seed", "clip.frames", "train.schedule.g_extra_every", "evaluation.best", "output.cache_dir"} <= keys.keys()
    assert {"model.generator.context_weight", "metrics.0.name", "metrics.1.net"} <= keys.keys()
    assert keys["metrics.1.net"].choices == ["alex", "vgg"]
    assert "fvd" in keys["metrics.0.name"].choices
    assert keys["train.steps"].description == "Training steps."
    assert "source" not in keys and "metrics" not in keys  # blocks are completed key by key


def test_keys_without_a_readable_run_file_are_the_core_ones(tmp_path):
    assert "model.generator.width" not in set_keys(tmp_path / "absent.yaml")
    assert "model.generator.name" in set_keys(None)


def test_run_file_found_among_the_words():
    assert run_file_in(["run", "a/b.yml", "--set"]) == Path("a/b.yml")
    assert run_file_in(["runs"]) is None
