"""Warn before a workshop runs on storage that can lose answers.

A pack on a network share stops being writable when the Wi-Fi drops, and its
locking may not work at all; a pack in a folder that a cloud service keeps in
sync can be copied half-written or replaced by a "conflicted copy" while the
app writes it. Neither is an error (the facilitator may know what they are
doing), so :func:`storage_warning` returns one plain sentence to show, or None.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePath, PureWindowsPath

from tde_desktop.core.i18n import _

#: Linux file-system types that live on another computer.
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs",
                        "afs", "9p", "davfs", "ncpfs", "glusterfs", "ceph"})
#: Folder names (case-insensitive) that cloud sync clients own, with the name to show.
CLOUD_FOLDERS = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "box": "Box",
    "box sync": "Box",
}


def _mount_fs_type(path: Path, mounts_text: str) -> str:
    """The file-system type of the mount that holds ``path`` (longest matching mount point)."""
    best, best_type = "", ""
    target = str(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts escapes spaces and tabs in mount points as octal.
        point = fields[1].replace("\\040", " ").replace("\\011", "\t")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def is_network_fs_type(fs_type: str) -> bool:
    """True for a network file system (``fuse.*`` counts: sshfs, rclone, gvfs...)."""
    fs_type = fs_type.lower()
    return fs_type in NETWORK_FS or fs_type.startswith("fuse.")


def _windows_remote(path: str) -> bool:  # pragma: no cover - Windows only
    drive = PureWindowsPath(path).drive
    if drive.startswith(("\\\\", "//")):
        return True
    try:
        import ctypes

        windll = getattr(ctypes, "windll", None)
        if windll is None or not drive:
            return False
        return bool(windll.kernel32.GetDriveTypeW(drive + "\\") == 4)  # DRIVE_REMOTE
    except (OSError, AttributeError, ValueError):
        return False


def on_network(path: str | Path, *, mounts_text: str | None = None,
               platform: str | None = None) -> bool:
    """True if ``path`` is on a network share (UNC path, mapped drive or network mount)."""
    platform = platform or sys.platform
    raw = str(path)
    if raw.startswith(("\\\\", "//")):
        return True
    if platform == "win32":  # pragma: no cover - Windows only
        return _windows_remote(raw)
    if mounts_text is None:
        if not platform.startswith("linux"):
            return False
        try:
            with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
                mounts_text = f.read()
        except OSError:
            return False
    resolved = Path(os.path.realpath(raw)) if platform == sys.platform else Path(raw)
    return is_network_fs_type(_mount_fs_type(resolved, mounts_text))


def cloud_service(path: str | Path) -> str | None:
    """The cloud sync service whose folder holds ``path`` ("Dropbox", "OneDrive"...), or None."""
    for part in PurePath(path).parts[:-1]:
        key = part.casefold()
        if key in CLOUD_FOLDERS:
            return CLOUD_FOLDERS[key]
        # OneDrive for work: "OneDrive - City of Baltimore"; macOS: "~/Library/CloudStorage".
        if key.startswith("onedrive"):
            return "OneDrive"
        if key.startswith(("googledrive-", "dropbox (")):
            return "Google Drive" if key.startswith("google") else "Dropbox"
        if key.startswith("box-box") or key == "cloudstorage":
            return "Box" if key.startswith("box") else _("a cloud service")
    return None


def storage_warning(path: str | Path, *, mounts_text: str | None = None,
                    platform: str | None = None) -> str | None:
    """A plain-language warning if the pack at ``path`` sits on risky storage, else None.

    Never raises: anything it cannot find out counts as safe.
    """
    try:
        service = cloud_service(path)
        network = on_network(path, mounts_text=mounts_text, platform=platform)
    except (OSError, ValueError):
        return None
    if network:
        return _("This pack is on a network drive. If the connection drops during the "
                 "workshop, answers could be lost: copy the pack to this computer first.")
    if service:
        return _("This pack is in a folder that {service} keeps in sync. Syncing while the "
                 "app writes can damage the pack or make conflicting copies: copy it to a "
                 "folder outside {service} for the workshop.").format(service=service)
    return None
