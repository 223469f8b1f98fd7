"""Where the app finds its bundled resources and keeps its own files."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, in the bundle when frozen."""
    override = os.environ.get("TDE_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def sample_pack_path() -> Path:
    """The bundled sample workshop pack."""
    return resources_dir() / "sample" / "baltimore_vacants.tdepack"
