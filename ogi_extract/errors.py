"""Typed errors for bad input: each names the file and the reason."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r" (?:object )?at 0x[0-9a-fA-F]+")


class OgiError(Exception):
    """Base of every error ogi-extract raises on purpose."""

    reason = "error"

    def __init__(self, source: str, detail: str = ""):
        self.source = source
        self.detail = _ADDRESS.sub("", detail)  # `<_io.BytesIO object at 0x7f..>` says nothing to a reader
        super().__init__(f"{source}: {self.reason}" + (f" ({self.detail})" if self.detail else ""))


class InputError(OgiError):
    reason = "unreadable input"


class NotAPdfError(InputError):
    reason = "not a PDF, image, HTML, Word or RTF file"


class UnsupportedFormatError(InputError):
    reason = "unsupported format"


class NeedsLibreOfficeError(InputError):
    reason = "LibreOffice (soffice) is needed to read .doc/.wps/.rtf files"


class CorruptFileError(InputError):
    reason = "corrupt file"


class EncryptedFileError(InputError):
    reason = "encrypted PDF"


class FileTooLargeError(InputError):
    reason = "too large"


class EmptyFileError(InputError):
    reason = "empty file"


class ExtractionTimeout(OgiError):
    reason = "timed out"


class ModelNotFoundError(OgiError):
    reason = "model folder missing or incomplete"


class NotAFileError(InputError):
    """A folder, FIFO, socket or device named where a report file was expected."""

    reason = "not a regular file"


class MissingFileError(InputError):
    reason = "no such file"


class SymlinkLoopError(InputError):
    reason = "symlink loop"


class PermissionDeniedError(InputError):
    reason = "permission denied"


class TruncatedFileError(CorruptFileError):
    reason = "truncated file"


class WorkerDiedError(OgiError):
    """The worker process ended without a result (a crash in native code, or killed from outside)."""

    reason = "worker died"


class MemoryLimitError(OgiError):
    reason = "over the memory limit"


class ModelError(ModelNotFoundError):
    """A model folder that exists but cannot be used (wrong format version, library too old, bad arrays)."""

    reason = "model folder unusable"


TRANSIENT = ("ExtractionTimeout", "WorkerDiedError", "MemoryLimitError")  # `--resume` retries these
