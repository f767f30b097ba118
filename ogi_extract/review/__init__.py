"""Static HTML review pages: each page image with what was read outlined, and what needs a look."""

from .writer import ReviewWriter

__all__ = ["ReviewWriter"]
