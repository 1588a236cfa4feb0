"""What training prints on stderr: plain lines off a terminal, a bar on one, a banner first."""

import io
import subprocess
import sys

from vpkit.engine.train.console import Console, duration

STATS = {"loss_d": 1.25, "loss_g": 0.5, "d_real": 0.6, "d_fake": 0.4, "clips_per_s": 12.0}


def test_a_run_logged_to_a_file_reads_as_lines(tiny_run, tmp_path):
    """stderr is a pipe here, as under nohup or a batch scheduler: no carriage returns, no
    cursor movements, one line per log_every steps, and the banner and the estimate first."""
    path = tiny_run(steps=12)
    result = subprocess.run(
        [sys.executable, "-m", "vpkit", "run", str(path), "-o", str(tmp_path / "run"), "--set", "train.log_every=4"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "\r" not in err and "\x1b[" not in err
    lines = err.splitlines()
    assert lines[0] == f"run {tmp_path / 'run'} (new), device cpu"
    assert lines[1].startswith("generator videogan: ") and "parameters; discriminator videogan: " in lines[1]
    assert lines[2].startswith("clips: 24 train, 4 val, 4x16x16; store ")
    assert lines[3].startswith("schedule: 12 steps of 4 clips; per step 1 D update and 1 G update, one more every 3")
    progress = [line for line in lines if line.startswith("step ")]
    assert [line.split()[1] for line in progress] == ["4/12", "8/12", "12/12"]
    assert "loss_d " in progress[0] and "D(G(z)) " in progress[0] and "clips/s" in progress[0]
    assert "eta " in progress[1] and "eta " not in progress[-1]
    assert sum(line.startswith("estimated time: ") for line in lines) == 1
    assert lines[-1].startswith("finished 12 steps in ") and lines[-1].endswith(f"the run is in {tmp_path / 'run'}")


def test_off_a_terminal_one_line_every_log_every_steps():
    out = io.StringIO()
    console = Console(steps=10, start_step=0, log_every=5, stream=out, terminal=False)
    for step in range(1, 11):
        console.step(step, STATS)
    console.metrics(10, {"ssim": 0.51234, "psnr": 21.5}, best_by="ssim")
    console.close()
    lines = out.getvalue().splitlines()
    assert [line.split()[1] for line in lines[:2]] == ["5/10", "10/10"]
    assert lines[0].startswith("step  5/10  loss_d 1.250  loss_g 0.500  D(x) 0.600  D(G(z)) 0.400  12.0 clips/s")
    assert lines[-1] == "step 10: ssim 0.5123  psnr 21.5000  (best ssim so far: checkpoints/best.pt)"


def test_the_best_checkpoint_is_named_on_the_line_of_the_metric_that_chose_it():
    out = io.StringIO()
    console = Console(steps=10, start_step=0, log_every=5, stream=out, terminal=False)
    baselines, verdicts = {"fvd": {"static": 900.0}}, {"fvd": "beats static"}
    console.metrics(10, {"fvd": 850.0, "ssim": 0.4}, best_by="ssim", baselines=baselines, verdicts=verdicts)
    console.metrics(20, {"fvd": 800.0, "ssim": 0.3}, best_by=None, baselines=baselines, verdicts=verdicts)
    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        "step 10: fvd 850.0000 | static 900.0000 | beats static",
        "step 10: ssim 0.4000  (best ssim so far: checkpoints/best.pt)",
    ]
    assert "best" not in " ".join(lines[2:])  # fvd improved, but ssim picks the best checkpoint


class Clock:
    """Time that moves only when the test says: each step takes what it is told."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_estimate_is_from_steady_steps_and_a_resumed_session_counts_its_own():
    clock, out = Clock(), io.StringIO()
    console = Console(steps=500, start_step=400, log_every=100, stream=out, terminal=False, clock=clock)
    for step in range(401, 421):
        clock.now += 30.0 if step <= 403 else 1.0  # three warm-up steps, then a second each
        console.step(step, STATS)
    (estimate,) = [line for line in out.getvalue().splitlines() if line.startswith("estimated time")]
    assert estimate == "estimated time: 1m40s for 100 steps (1.00 steps/s once warmed up)"
    assert console.finished(420) == "finished 20 steps in 1m47s (step 400 to 420)"
    assert Console(steps=1, start_step=0, log_every=1, stream=out, terminal=False, clock=clock).finished(1) == (
        "finished 1 step in 0s"
    )


def test_on_a_terminal_a_bar_redrawn_in_place():
    out = io.StringIO()
    console = Console(steps=3, start_step=1, log_every=1, stream=out, terminal=True)
    console.say("banner")
    for step in (2, 3):
        console.step(step, STATS)
    console.close()
    assert "\r" in out.getvalue() and "3/3" in out.getvalue() and "banner\n" in out.getvalue()


def test_durations_read_short():
    assert [duration(s) for s in (0.4, 42, 185, 7620)] == ["0s", "42s", "3m05s", "2h07m"]
