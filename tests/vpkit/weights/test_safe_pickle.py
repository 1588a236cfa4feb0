"""The numpy-only unpickler: plain containers of arrays load; any other global is refused
before it runs."""

import pickle
import pickletools

import numpy as np
import pytest

from vpkit.weights.safe_pickle import UnsafePickleError, load_numpy_pickle


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_nested_dicts_of_arrays_load_as_they_were(protocol):
    tree = {
        "params": {"Conv_0": {"kernel": np.arange(24, dtype=np.float32).reshape(2, 3, 4)}},
        "batch_stats": {"mean": np.zeros((1, 5), np.float64)},
        "names": ["a", ("b", 3)],
    }
    loaded = load_numpy_pickle(pickle.dumps(tree, protocol=protocol))
    kernel = loaded["params"]["Conv_0"]["kernel"]
    assert kernel.dtype == np.float32 and np.array_equal(kernel, tree["params"]["Conv_0"]["kernel"])
    assert loaded["batch_stats"]["mean"].shape == (1, 5) and loaded["names"] == ["a", ("b", 3)]


def test_a_pickle_that_would_run_a_command_is_refused_and_runs_nothing(hostile_pickle):
    hostile, marker = hostile_pickle
    assert "system" in " ".join(str(arg) for _, arg, _ in pickletools.genops(hostile))  # it does name os.system
    with pytest.raises(UnsafePickleError, match=r"refused to load (posix|os|nt)\.system: only numpy arrays"):
        load_numpy_pickle(hostile)
    assert not marker.exists()
    pickle.loads(hostile)  # the plain unpickler would have run it
    assert marker.exists()


def test_builtins_that_evaluate_code_are_refused_too():
    hostile = b"cbuiltins\neval\n(S'1+1'\ntR."  # protocol 0: GLOBAL builtins.eval, called with '1+1'
    assert pickle.loads(hostile) == 2
    with pytest.raises(UnsafePickleError, match=r"builtins\.eval"):
        load_numpy_pickle(hostile)
