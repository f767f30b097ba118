"""Typed errors for bad input: each names the file and the reason."""

from __future__ import annotations


class OgiError(Exception):
    """Base of every error ogi-extract raises on purpose."""

    reason = "error"

    def __init__(self, source: str, detail: str = ""):
        self.source = source
        self.detail = detail
        super().__init__(f"{source}: {self.reason}" + (f" ({detail})" if detail else ""))


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
