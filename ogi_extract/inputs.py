"""What a batch reads: arguments (files, folders, globs, @lists, `-` for stdin) -> distinct files by content.

Names stay `str` as the OS gives them (undecodable bytes as lone surrogates, `os.fsdecode`), so
every file can be opened and its name written back losslessly. A file is hashed (SHA-256 of its
bytes) before it is scheduled: the hash skips duplicates and is the key `--resume` matches on.
A name that is no regular file (folder inside a list, FIFO, symlink loop, unreadable) gets its
typed error here, in the parent, without opening it.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TRANSIENT, FileTooLargeError, InputError
from .inference.load import check_file
from .remote import expand_url, is_url, url_hash

_MAGIC = set("*?[")


def expand(args: Iterable[str], suffixes: set[str]) -> Iterator[str]:
    """Each argument as files: a folder recursively (sorted, by suffix), a glob (`**` recursive),
    `@LIST.txt` one name per line, `-` names on stdin; anything else as given (a missing file
    then gets its typed error)."""
    for arg in args:
        if arg == "-":
            yield from _expand_names(_lines(sys.stdin.buffer), suffixes)
        elif arg.startswith("@") and not os.path.lexists(arg):
            try:
                with open(arg[1:], "rb") as f:
                    yield from _expand_names(_lines(f), suffixes)
            except OSError as e:
                raise UsageError(f"{arg}: cannot read the list ({e.strerror or e})") from None
        else:
            yield from _expand_one(arg, suffixes)


def _lines(stream) -> Iterator[str]:
    for raw in stream:
        name = os.fsdecode(raw.rstrip(b"\r\n"))
        if name.strip() and not name.startswith("#"):
            yield name


def _expand_names(names: Iterable[str], suffixes: set[str]) -> Iterator[str]:
    for name in names:
        yield from _expand_one(name, suffixes)


def _expand_one(arg: str, suffixes: set[str]) -> Iterator[str]:
    if is_url(arg):
        yield from expand_url(arg, suffixes)
        return
    path = Path(arg)
    if path.is_dir():  # rglob does not follow symlinked folders: no loops
        yield from (str(f) for f in sorted(path.rglob("*")) if f.suffix.lower() in suffixes and not f.is_dir())
    elif not os.path.lexists(arg) and _MAGIC & set(arg):
        for match in sorted(glob.glob(arg, recursive=True)):
            if Path(match).is_dir():
                continue
            yield match
    else:
        yield arg


def content_hash(name: str, max_file_mb: float) -> str:
    """SHA-256 of the file's bytes; typed errors for what is no readable regular file or too big."""
    if is_url(name):
        return url_hash(name, max_file_mb)
    size = check_file(name, Path(name)).st_size
    if size > max_file_mb * 2**20:
        raise FileTooLargeError(name, f"{size / 2**20:.1f} MB > max_file_mb={max_file_mb}")
    h = hashlib.sha256()
    try:
        with open(name, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError as e:
        raise InputError(name, e.strerror or type(e).__name__) from None
    return h.hexdigest()


class UsageError(Exception):
    """A bad command line: printed as one line, exit status 2."""


@dataclass
class Earlier:
    """What an earlier run left in a JSONL output, for `--resume`."""

    done: set[str] = field(default_factory=set)  # content hashes (and, for old lines, file names) not to redo
    retry: int = 0  # lines of transient failures (timeout, dead worker, memory): dropped and redone
    unusable: int = 0  # lines that are not JSON objects: kept as they are, ignored
    torn: bool = False  # a last line cut short by a kill: dropped and redone


def read_earlier(path: Path) -> Earlier:
    """Read `path` and rewrite it (atomically, only if needed) without its torn last line and
    transient-failure lines, so that appending new results leaves one line per file."""
    out = Earlier()
    if not path.exists():
        return out
    data = path.read_bytes()
    lines = data.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline
    out.torn = bool(tail.strip())
    keep = []
    for line in lines:
        try:
            record = json.loads(line.decode("utf-8", "surrogateescape"))
        except ValueError:
            record = None
        if not isinstance(record, dict):
            out.unusable += bool(line.strip())
            keep.append(line)
            continue
        error = (record.get("details") or {}).get("error") if isinstance(record.get("details"), dict) else None
        if isinstance(error, dict) and error.get("type") in TRANSIENT:
            out.retry += 1
            continue
        keep.append(line)
        key = record.get("sha256") or record.get("file")
        if isinstance(key, str):
            out.done.add(key)
    if out.torn or out.retry:
        tmp = path.with_name(path.name + ".resume-tmp")
        tmp.write_bytes(b"".join(line + b"\n" for line in keep))
        os.replace(tmp, path)
    return out
