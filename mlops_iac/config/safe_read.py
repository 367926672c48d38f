"""Every input file the tool reads goes through here: bounded, regular, inside the project.

A pull request controls the estate, so an input may be hostile: a symlink to a runner file (whose
content would be echoed in an error), a FIFO or ``/dev/zero`` (a hang or unbounded memory), a
symlink loop, a NUL byte in a path, a 1 GB file, or text that is not UTF-8. Each becomes an
``InputError`` with the line and column of the problem, decided BEFORE the content is read:

* the path holds no NUL byte and, resolved, stays under the project root;
* ``os.stat`` says regular file (no directory, device, FIFO or socket) of at most ``MAX_BYTES``;
  the file is then opened non-blocking and checked again with ``fstat``, and at most
  ``MAX_BYTES + 1`` bytes are read, so a file that grows meanwhile is still caught;
* the bytes are UTF-8 (a UTF-8 BOM is dropped; UTF-16/32 are refused) without control characters
  other than tab, line feed and carriage return.

JSON goes through ``parse_json``: nesting at most ``MAX_DEPTH`` levels.
"""
from __future__ import annotations

import functools
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Optional

MAX_BYTES = 1024 * 1024  # per YAML, JSON or script file
MAX_DEPTH = 200  # nesting levels of a YAML or JSON document
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
# C0 and C1 controls and DEL, but tab, line feed, carriage return and NEL (U+0085, a YAML line break)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


class InputError(Exception):
    """Why a file cannot be used, and where in it (1-based line and column; 1:1 for the file)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


@functools.lru_cache(maxsize=16)
def _real_root(root: str) -> str:
    return os.path.realpath(root)


def _located_path(path: Path, root: Optional[Path]) -> str:
    """The real path to open, or InputError when it is unsafe; nothing is read yet."""
    text = os.fspath(path)
    if "\x00" in text:
        raise InputError("the path contains a NUL byte")
    try:
        real = os.path.realpath(text, strict=True)
    except FileNotFoundError:
        raise InputError("file not found") from None
    except OSError as exc:  # ELOOP: a symlink loop; EACCES; ENAMETOOLONG
        raise InputError(f"cannot resolve the path ({exc.strerror or exc})") from None
    if root is not None:
        real_root = _real_root(os.fspath(root))
        if os.path.commonpath([real_root, real]) != real_root:
            raise InputError("the path leads outside the project (through a symlink or '..'); "
                             "not read")
    return real


def read_bytes(path: Path, root: Optional[Path], limit: int = MAX_BYTES) -> bytes:
    real = _located_path(path, root)
    try:
        mode = os.stat(real)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode.st_mode):
        raise InputError(f"is {_kind(mode.st_mode)}, not a regular file; not read")
    if mode.st_size > limit:
        raise InputError(f"is {mode.st_size} bytes; the limit is {limit} bytes per file")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between stat and open
            raise InputError("is not a regular file; not read")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(f"is larger than the limit of {limit} bytes per file")
    return b"".join(chunks)


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes) -> str:
    """UTF-8 text without control characters, or InputError at the first offending character."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise InputError(f"the file is {name}; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode("utf-8", "replace")
        line, column = _line_column(good, len(good))
        hint = " (UTF-16 without a byte order mark?)" if b"\x00" in data[:64] else ""
        raise InputError(f"the file is not valid UTF-8{hint}: byte 0x{data[exc.start]:02x} "
                         f"cannot be decoded; save it as UTF-8", line, column) from None
    bad = _CONTROL.search(text)
    if bad:
        char = bad.group(0)
        line, column = _line_column(text, bad.start())
        hint = " (UTF-16 without a byte order mark?)" if char == "\x00" else ""
        raise InputError(f"control character U+{ord(char):04X} in the file{hint}; "
                         "only tab, line feed and carriage return are allowed", line, column)
    return text


def read_text(path: Path, root: Optional[Path], limit: int = MAX_BYTES) -> str:
    """The checked text of one input file (see the module docstring), or InputError."""
    return decode(read_bytes(path, root, limit))


def parse_json(text: str) -> Any:
    """JSON with its nesting bounded (checked iteratively before anything recurses into it);
    InputError with the line of the problem otherwise."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):  # strings are skipped whole: brackets in them do not count
        char = token.group(0)
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"nested deeper than {MAX_DEPTH} levels", *_line_column(text, token.start()))
        elif char in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(exc.msg, exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(str(exc)) from None
