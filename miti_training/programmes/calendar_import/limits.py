"""How much of a file the calendar import reads: what a centre's calendar can need, no more.

The limits are checked before anything is parsed (size), then while the workbook's XML is
streamed (texts, rows, cells), then while its first sheet is read (rows). docs/security.md,
item 24.
"""

#: Uploads are capped at 5 MB by MAX_CONTENT_LENGTH; the CLI gets the same limit here.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: An XLSX is a zip: refuse one that unpacks to more than this (zip bombs).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
#: Sessions (non-blank rows) in one file.
MAX_ROWS = 2000
#: Rows read at most, blank ones included, before giving up on a sheet; also the most rows
#: all the sheets of a workbook may hold together.
MAX_SCANNED_ROWS = 5 * MAX_ROWS
#: Columns read from an XLSX sheet; anything further right is ignored.
MAX_COLUMNS = 100
#: Cells all the sheets of a workbook may hold together: every session row with 40 cells,
#: more than the 35 columns a calendar has, so that a help sheet and formatted empty cells
#: beside the calendar still fit.
MAX_SHEET_CELLS = 40 * MAX_ROWS
#: Shared texts in a workbook: ten different texts for every session row (numbers and dates
#: are not texts), which a calendar with translations does not reach.
MAX_SHARED_STRINGS = 10 * MAX_ROWS
#: XML elements in all the parts of the workbook (a cell is two or three of them).
MAX_XML_ELEMENTS = 5 * MAX_SHEET_CELLS
