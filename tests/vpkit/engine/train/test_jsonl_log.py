import json

from vpkit.engine.train.jsonl_log import JsonlLog


def test_append_then_trim_to_a_checkpoint_step(tmp_path):
    log = JsonlLog(tmp_path / "log.jsonl")
    for step in range(1, 6):
        log.append({"step": step, "loss": step / 10})
    assert [r["step"] for r in log.trim(3)] == [1, 2, 3]
    assert [json.loads(line)["step"] for line in (tmp_path / "log.jsonl").read_text().splitlines()] == [1, 2, 3]


def test_a_torn_last_line_is_dropped_not_fatal(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text('{"step": 1, "loss": 0.5}\n{"step": 2, "loss": 0.4}\n{"step": 3, "lo')
    log = JsonlLog(path)
    assert [r["step"] for r in log.trim(10)] == [1, 2]
    log.append({"step": 3, "loss": 0.3})
    assert [r["step"] for r in log.records()] == [1, 2, 3]


def test_a_missing_log_is_empty_and_stays_absent(tmp_path):
    log = JsonlLog(tmp_path / "absent.jsonl")
    assert log.trim(5) == [] and log.records() == []
    assert not (tmp_path / "absent.jsonl").exists()
