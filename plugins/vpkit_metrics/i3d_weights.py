"""Where the I3D weights come from, and loading them into :class:`InceptionI3d` by name and shape.

Order: an explicit path (the ``fvd`` block's ``weights:``), else ``$VPKIT_I3D_WEIGHTS``, else
the cached download under ``$VPKIT_CACHE/weights/`` (fetched on first use from a pinned URL
and checked against a pinned SHA-256).

The pinned file is ``i3d_pretrained_400.pt``, the PyTorch conversion of TF-Hub
``deepmind/i3d-kinetics-400/1`` made by VideoGPT's ``convert_tf_pretrained.py`` and shared by
VideoGPT, TATS, cd-fvd and Open-Sora-Plan. Its SHA-256 and size are the Git LFS pointer of
``opensora/eval/fvd/videogpt/i3d_pretrained_400.pt`` in the GitHub mirror
camenduru/Open-Sora-Plan-v1.0.0-hf at commit a22080372b0d3a03e503b83f527b617ea9267fb1 (an LFS
oid is the SHA-256 of the content; the pointer gives 50,939,526 bytes). The first URL serves that very LFS object; the second is
the Hugging Face space the mirror copies, at a fixed revision. The hash was read from that
pointer, not from a download made here (this project was built offline).
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

from vpkit import VpkitError, cached_download, default_cache_dir, sha256_of
from vpkit_metrics.i3d import InceptionI3d

WEIGHTS_ENV = "VPKIT_I3D_WEIGHTS"
FILE_NAME = "i3d_pretrained_400.pt"
SHA256 = "55095f049e706479d48e221adcdb145b2b9dc930ba28b081ed72367ffaa32343"
URLS = (
    "https://media.githubusercontent.com/media/camenduru/Open-Sora-Plan-v1.0.0-hf/"
    "a22080372b0d3a03e503b83f527b617ea9267fb1/opensora/eval/fvd/videogpt/i3d_pretrained_400.pt",
    "https://huggingface.co/spaces/LanguageBind/Open-Sora-Plan-v1.0.0/resolve/"
    "810fa8c4bdb3a4c8eec9bd57375c29bde6fb46de/opensora/eval/fvd/videogpt/i3d_pretrained_400.pt",
)


def weights_path(path: str | None = None, url: str | None = None, sha256: str | None = None) -> Path:
    """The I3D weights file to use; downloads it into the cache if no local file is named."""
    local = path or os.environ.get(WEIGHTS_ENV)
    if local:
        local = Path(local).expanduser()
        if not local.is_file():
            source = "fvd.weights" if path else f"${WEIGHTS_ENV}"
            raise VpkitError(f"{local}: no I3D weights file there (from {source})")
        return local
    dest = default_cache_dir() / "weights" / FILE_NAME
    return cached_download([url] if url else list(URLS), sha256 or SHA256, dest, "I3D weights")


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
        problems = [f"{label}: {', '.join(keys[:3])}{' ...' if len(keys) > 3 else ''} ({len(keys)})"
                    for label, keys in (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong)) if keys]
        raise VpkitError(f"{path}: not I3D Kinetics-400 weights in the i3d_pretrained_400.pt layout; " + "; ".join(problems))
    network.load_state_dict(state, strict=False)
    return network.to(device).eval(), sha256_of(path)
