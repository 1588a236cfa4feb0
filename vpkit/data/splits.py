"""Which split a new input goes to: whole inputs (videos) stay on one side, and each is put where
the validation split's share of all clips comes closest to the share asked for.

Deciding one input at a time, as it is stored, keeps every earlier decision: a resumed or
rescanned store never moves a video between splits. A video's key, hashed, used to decide; a
long video then took its clips wherever its hash fell (nine videos at 0.25 put 424 clips in
validation and 355 in training).
"""

from __future__ import annotations

from collections.abc import Mapping


def closest_split(held: Mapping[str, int], clips: int, val_fraction: float) -> str:
    """``val`` or ``train`` for an input of ``clips`` clips, given the clips each split ``held`` so far:
    the side that leaves validation's share of all clips closer to ``val_fraction`` (train on a tie)."""
    total = held["train"] + held["val"] + clips
    as_val = abs((held["val"] + clips) / total - val_fraction)
    as_train = abs(held["val"] / total - val_fraction)
    return "val" if as_val < as_train else "train"


def describe_split(clips: Mapping[str, int], inputs: Mapping[str, int]) -> str:
    """What the splits hold, for a summary: validation's share of the inputs and of the clips."""
    total = clips["train"] + clips["val"]
    share = f" ({clips['val'] / total:.1%})" if total else ""
    return (
        f"validation holds {inputs['val']} of {inputs['train'] + inputs['val']} inputs, "
        f"{clips['val']} of {total} clips{share}"
    )
