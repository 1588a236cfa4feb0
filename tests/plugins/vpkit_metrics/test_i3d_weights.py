import pytest
import torch
from vpkit_metrics.i3d import InceptionI3d
from vpkit_metrics.i3d_weights import load_i3d, weights_path

from vpkit import VpkitError, sha256_of


def test_loads_a_weights_file_by_name_and_shape(i3d_weights):
    network, sha = load_i3d(i3d_weights, torch.device("cpu"))
    assert sha == sha256_of(i3d_weights)
    state = torch.load(i3d_weights, weights_only=True)
    for key in ("Conv3d_1a_7x7.conv3d.weight", "Mixed_4e.b2b.bn.running_mean", "logits.conv3d.bias"):
        torch.testing.assert_close(network.state_dict()[key], state[key])
    assert not network.training


def test_a_foreign_file_is_refused_with_what_is_wrong(tmp_path, i3d_weights):
    state = torch.load(i3d_weights, weights_only=True)
    state["logits.conv3d.weight"] = torch.zeros(600, 1024, 1, 1, 1)  # the Kinetics-600 head
    del state["Mixed_3b.b0.bn.running_var"]
    path = tmp_path / "other.pt"
    torch.save(state, path)
    with pytest.raises(
        VpkitError, match=r"missing: Mixed_3b.b0.bn.running_var \(1\); wrong shape: logits.conv3d.weight \(1\)"
    ):
        load_i3d(path, torch.device("cpu"))
    path.write_bytes(b"not a torch file")
    with pytest.raises(VpkitError, match="not a readable PyTorch weights file"):
        load_i3d(path, torch.device("cpu"))


def test_explicit_path_then_environment(monkeypatch, tmp_path, i3d_weights):
    monkeypatch.setenv("VPKIT_I3D_WEIGHTS", str(i3d_weights))
    assert weights_path() == i3d_weights
    assert weights_path(str(i3d_weights)) == i3d_weights
    with pytest.raises(VpkitError, match=r"no I3D weights file there \(from fvd.weights\)"):
        weights_path(str(tmp_path / "nope.pt"))
    monkeypatch.setenv("VPKIT_I3D_WEIGHTS", str(tmp_path / "nope.pt"))
    with pytest.raises(VpkitError, match=r"from \$VPKIT_I3D_WEIGHTS"):
        weights_path()


def test_a_mirror_downloads_into_the_cache_checked_by_sha256(monkeypatch, tmp_path, i3d_weights, http_server):
    """weights_url with weights_sha256 of another file: cached under that hash,
    beside (not over) the pinned file's name."""
    monkeypatch.delenv("VPKIT_I3D_WEIGHTS", raising=False)
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "cache"))
    url = http_server.serve(
        "/" + i3d_weights.name, body=i3d_weights.read_bytes(), content_type="application/octet-stream"
    )
    sha = sha256_of(i3d_weights)
    with pytest.raises(VpkitError, match="expected 0000"):
        weights_path(url=url, sha256="0" * 64)
    path = weights_path(url=url, sha256=sha)
    assert path == tmp_path / "cache" / "weights" / f"i3d-{sha[:16]}.pt"
    assert sha256_of(path) == sha
    network, _ = load_i3d(path, torch.device("cpu"))
    assert isinstance(network, InceptionI3d)
