"""Inputs and outputs named by URL (`s3://…`, `gs://…`, `file://…`, any fsspec file system).

A name with a scheme is read through fsspec (the store's package, e.g. `s3fs` or `gcsfs`, must be
installed); anything else stays a local path and never comes here. Object stores cannot append, so
an output URL is written to a local file during the run and copied up when the run ends (and first
copied down for `--resume`): the local JSONL is what keeps each line atomic.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TypeGuard

from .errors import FileTooLargeError, InputError, MissingFileError, NotAFileError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_MAGIC = set("*?[")


def is_url(name: object) -> TypeGuard[str]:
    return isinstance(name, str) and bool(_URL.match(name))


def _fs(url: str):
    from fsspec.core import url_to_fs

    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as e:  # unknown scheme, or its package (s3fs, gcsfs…) not installed
        raise InputError(url, f"cannot open this URL ({e})") from None


def expand_url(arg: str, suffixes: set[str]) -> Iterator[str]:
    """A URL as file URLs: a folder (prefix) recursively by suffix, a glob, or the object itself."""
    fs, path = _fs(arg)
    if _MAGIC & set(path):
        names = [p for p in fs.glob(path) if not fs.isdir(p)]
    elif fs.isdir(path):
        names = [p for p in fs.find(path) if PurePosixPath(p).suffix.lower() in suffixes]
    else:
        names = [path]
    yield from (fs.unstrip_protocol(p) for p in sorted(names))


def _info(url: str, max_file_mb: float):
    fs, path = _fs(url)
    try:
        info = fs.info(path)
    except FileNotFoundError:
        raise MissingFileError(url) from None
    except OSError as e:
        raise InputError(url, e.strerror or type(e).__name__) from None
    if info.get("type") == "directory":
        raise NotAFileError(url, "a folder")
    size = info.get("size") or 0
    if size > max_file_mb * 2**20:
        raise FileTooLargeError(url, f"{size / 2**20:.1f} MB > max_file_mb={max_file_mb}")
    return fs, path


def url_hash(url: str, max_file_mb: float) -> str:
    """SHA-256 of the object's bytes, streamed (the key dedupe and `--resume` match on)."""
    fs, path = _info(url, max_file_mb)
    h = hashlib.sha256()
    try:
        with fs.open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError as e:
        raise InputError(url, e.strerror or type(e).__name__) from None
    return h.hexdigest()


def read_url(url: str, max_file_mb: float) -> bytes:
    fs, path = _info(url, max_file_mb)
    try:
        return fs.cat_file(path)
    except OSError as e:
        raise InputError(url, e.strerror or type(e).__name__) from None


@contextmanager
def staged_output(args) -> Iterator[None]:
    """While the run lasts, `args.output` is a local file; an output URL gets it copied up at the end
    (also after a failure, so what was written is kept)."""
    url = getattr(args, "output", None)
    if not is_url(url):
        yield
        return
    fs, path = _fs(url)
    with tempfile.TemporaryDirectory(prefix="ogi-out-") as tmp:
        local = os.path.join(tmp, PurePosixPath(path).name)
        if getattr(args, "resume", False) and fs.exists(path):
            fs.get_file(path, local)
        args.output, args.output_url = local, url
        try:
            yield
        finally:
            args.output = url
            if os.path.exists(local):
                fs.put_file(local, path)
