import pytest
import torch

from vpkit.devices import check_device, pick_device
from vpkit.errors import VpkitError


def test_auto_device_is_cpu_without_cuda():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert pick_device("auto").type == expected
    assert pick_device("cpu").type == "cpu"


def test_check_device_names_what_it_accepts():
    assert check_device("cuda:1") == "cuda:1"
    with pytest.raises(ValueError, match="expected auto, cpu, cuda or cuda:N, got 'gpu'"):
        check_device("gpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_asking_for_cuda_without_it_is_a_user_error():
    with pytest.raises(VpkitError, match="no usable CUDA"):
        pick_device("cuda")


@pytest.mark.parametrize("name", ["cpu", "cuda", "cuda:0", "cuda:12", "cpu:0"])
def test_check_device_accepts_what_torch_reads_as_cpu_or_cuda(name):
    assert check_device(name) == name
    assert torch.device(name).type in ("cpu", "cuda")


@pytest.mark.parametrize("name", ["gpu", "meta", "cuda:", "cuda:x", " cpu", "cuda:0:1", ""])
def test_check_device_refuses_other_names(name):
    with pytest.raises(ValueError, match="expected auto, cpu, cuda or cuda:N"):
        check_device(name)
