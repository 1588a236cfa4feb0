"""A property-based fuzz test of ``vpkit validate`` on mutated copies of the shipped run files.

Whatever the mutation (values a careless user types, hostile YAML, broken bytes, ``--set``
flags), ``validate`` answers with exit code 0 or 2, never a traceback, within a bounded time
and with a bounded amount of output.

Run as a script, it is a fuzzing campaign that keeps going after a failure and counts:

    python tests/vpkit/commands/test_validate_fuzz.py --cases 1000
"""

from __future__ import annotations

import argparse
import signal
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from vpkit.commands.cli import cli

EXAMPLES = {path.name: path.read_text() for path in sorted((Path(__file__).parents[3] / "examples").glob("*.yaml"))}
SECONDS = 5  # per case; the slowest refusal (5000 nested brackets) takes about half a second
OUTPUT = 10_000  # characters; a message quotes at most a short piece of any value


def _bomb(levels: int) -> str:
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    return text + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, levels))


#: Values a careless user types and values a hostile file holds, as YAML text.
VALUES = [
    "-1",
    "0",
    "1",
    "3.5",
    "1e3",
    "1.0e+40",
    "1" + "0" * 40,
    "-1.0e+300",
    "1.0e-300",
    "1e300",
    "9" * 5000,
    ".inf",
    "-.inf",
    ".nan",
    "null",
    "~",
    "''",
    "[]",
    "{}",
    "[2, -1]",
    "[0.5]",
    "true",
    "yes",
    "0x10",
    "0o17",
    "2001-12-14",
    "meta",
    "cuda:99",
    "cpu",
    "auto",
    '"a\\0b"',
    "x" * 100_000,
    "'unclosed",
    "[unclosed",
    "{a: 1",
    "!!int abc",
    "!!float abc",
    "!!timestamp xyz",
    "!!bool maybe",
    "!!binary ???",
    "!!set {a}",
    "!!omap [a]",
    "!!python/object:os.system",
    "!custom 1",
    "&a [*a]",
    "*undefined",
    "&b {c: *b}",
    "[" * 5000 + "]" * 5000,
    "{a: " * 200 + "1" + "}" * 200,
    "videogna",
    "synthetic",
    "fvd",
    "[fvd, lpips]",
    "{name: videogan, width: .inf}",
    "|\n  block",
    "? [a, b]\n: 1",
]
KEYS = [
    "seed",
    "clip",
    "frames",
    "size",
    "source",
    "name",
    "model",
    "generator",
    "discriminator",
    "width",
    "train",
    "steps",
    "lr",
    "betas",
    "device",
    "fps",
    "metrics",
    "evaluation",
    "output",
    "dir",
    "<<",
    "? [a]",
    "x" * 1000,
]
SET_KEYS = [
    "seed",
    "train.lr",
    "train.betas",
    "train.device",
    "train.fps",
    "train.steps",
    "clip.size",
    "clip.frames",
    "model.generator.width",
    "model.discriminator",
    "source.name",
    "metrics",
    "metrics.0",
    "output.dir",
    "train.steps.x",
    "evaluation.best",
    "9" * 50,
    "",
    ".",
]


@st.composite
def mutated_run_files(draw) -> tuple[bytes, list[str]]:
    """One shipped run file with a few mutations, and maybe some ``--set`` flags."""
    lines = EXAMPLES[draw(st.sampled_from(sorted(EXAMPLES)))].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(lines) - 1, 0)))
        line = lines[where] if lines else ""
        kind = draw(
            st.sampled_from(
                [
                    "value",
                    "value",
                    "value",
                    "key",
                    "delete",
                    "duplicate",
                    "indent",
                    "insert",
                    "characters",
                    "bomb",
                    "truncate",
                ]
            )
        )
        if kind == "value" and ":" in line:
            lines[where] = line[: line.index(":") + 1] + " " + draw(st.sampled_from(VALUES))
        elif kind == "key":
            indent = draw(st.sampled_from(["", "  ", "    "]))
            lines.insert(where, f"{indent}{draw(st.sampled_from(KEYS))}: {draw(st.sampled_from(VALUES))}")
        elif kind == "delete" and lines:
            del lines[where]
        elif kind == "duplicate" and lines:
            lines.insert(draw(st.integers(0, len(lines))), line)
        elif kind == "indent" and lines:
            lines[where] = draw(st.sampled_from(["", " ", "  ", "\t", "      "])) + line.lstrip()
        elif kind == "insert":
            lines.insert(where, draw(st.text(max_size=40)))
        elif kind == "characters" and line:
            at = draw(st.integers(0, len(line)))
            lines[where] = (
                line[:at] + draw(st.text(st.characters(max_codepoint=0x2FF), min_size=1, max_size=5)) + line[at:]
            )
        elif kind == "bomb":
            lines.append(_bomb(draw(st.integers(2, 12))))
        elif kind == "truncate":
            lines = lines[:where]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and data:  # bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"])) + data[at:]
    flags = [
        f"{draw(st.sampled_from(SET_KEYS))}={draw(st.sampled_from(VALUES))}" for _ in range(draw(st.integers(0, 2)))
    ]
    return data, flags


@dataclass
class Outcome:
    exit_code: int
    error: str | None  # the traceback of an uncaught exception, or None
    seconds: float
    output: int


def validate(path: Path, data: bytes, flags: list[str]) -> Outcome:
    """``vpkit validate`` on ``data`` (in this process), stopped after ``SECONDS``."""
    path.write_bytes(data)
    args = ["validate", str(path)] + [arg for flag in flags for arg in ("--set", flag)]

    def too_slow(signum, frame):
        raise TimeoutError(f"validate took more than {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    started = time.perf_counter()
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - started
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    error = "".join(traceback.format_exception(result.exception)) if crashed else None
    return Outcome(result.exit_code, error, seconds, len(result.output))


@settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
@given(case=mutated_run_files())
def test_validate_answers_every_mutated_run_file_briefly_without_a_traceback(tmp_path_factory, case):
    data, flags = case
    outcome = validate(tmp_path_factory.getbasetemp() / "fuzzed.yaml", data, flags)
    assert outcome.error is None, outcome.error
    assert outcome.exit_code in (0, 2)
    assert outcome.output < OUTPUT


def campaign(cases: int, folder: Path) -> None:
    """Run ``cases`` mutated files, keep going after failures, and print what happened."""
    outcomes: list[tuple[Outcome, bytes, list[str]]] = []

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(case=mutated_run_files())
    def record(case):
        outcomes.append((validate(folder / "fuzzed.yaml", *case), *case))

    record()
    crashes = Counter(o.error.strip().splitlines()[-1][:100] for o, _, _ in outcomes if o.error)
    slowest, data, flags = max(outcomes, key=lambda item: item[0].seconds)
    print(f"cases: {len(outcomes)}")
    print(f"exit codes: {dict(sorted(Counter(o.exit_code for o, _, _ in outcomes if not o.error).items()))}")
    print(
        f"tracebacks: {sum(crashes.values())} "
        f"(stopped after {SECONDS} s: {sum(1 for o, _, _ in outcomes if o.seconds >= SECONDS)})"
    )
    for last_line, count in crashes.most_common():
        print(f"  {count} x {last_line}")
    shown_flags = [flag if len(flag) < 60 else f"{flag[:60]}..." for flag in flags]
    print(f"slowest case: {slowest.seconds:.2f} s ({len(data)} bytes, --set {shown_flags}), exit {slowest.exit_code}")
    print(f"largest output: {max(o.output for o, _, _ in outcomes)} characters")


if __name__ == "__main__":
    import resource
    import tempfile

    parser = argparse.ArgumentParser(description="vpkit validate fuzzing campaign")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument(
        "--memory-gb", type=float, default=4, help="address-space cap, so an alias bomb cannot take the machine"
    )
    options = parser.parse_args()
    cap = int(options.memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    with tempfile.TemporaryDirectory() as folder:
        campaign(options.cases, Path(folder))
