"""One reader per published form of a report, each building the `Document` the PDF path builds.

- `markup`: the shared page builder for HTML and Word (text blocks + cell grids, no OCR)
- `html`: saved web pages (`.html/.htm/.shtml`), any of the usual Chinese encodings
- `word`: `.docx` (python-docx), `.doc`/`.wps`/RTF through LibreOffice when it is installed
- `mht`: a page saved as one file (MHTML), its HTML part and pictures
- `longimage`: page images much taller or wider than a page, cut into page-sized tiles
"""
