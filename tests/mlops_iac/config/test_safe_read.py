"""safe_read: every input file is checked before its content is read."""
from __future__ import annotations

import os
import threading

import pytest

from mlops_iac.config.safe_read import MAX_BYTES, InputError, decode, parse_json, read_bytes, read_text


def refused(path, root) -> InputError:
    with pytest.raises(InputError) as caught:
        read_text(path, root)
    return caught.value


def test_reads_a_regular_file_inside_the_root(tmp_path):
    (tmp_path / "a.yaml").write_text("a: 1\n")
    assert read_text(tmp_path / "a.yaml", tmp_path) == "a: 1\n"


def test_a_utf8_bom_is_dropped(tmp_path):
    (tmp_path / "a.yaml").write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_text(tmp_path / "a.yaml", tmp_path) == "a: 1\n"


def test_refuses_a_symlink_out_of_the_root_without_reading_it(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "outside.txt").write_text("runner secret\n")
    os.symlink(tmp_path / "outside.txt", root / "a.yaml")
    error = refused(root / "a.yaml", root)
    assert "leads outside the project" in error.message and "runner" not in error.message


def test_refuses_dot_dot_out_of_the_root(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "x.yaml").write_text("a: 1\n")
    assert "leads outside the project" in refused(root / ".." / "x.yaml", root).message


def test_refuses_a_fifo_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    result: list = []
    thread = threading.Thread(target=lambda: result.append(refused(tmp_path / "pipe", tmp_path)), daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and "FIFO" in result[0].message


def test_refuses_a_device_a_directory_a_loop_and_a_nul_byte(tmp_path):
    assert "character device" in refused("/dev/null", None).message
    assert "a directory" in refused(tmp_path, tmp_path).message
    os.symlink("loop", tmp_path / "loop")
    assert "cannot resolve the path" in refused(tmp_path / "loop", tmp_path).message
    assert "NUL byte" in refused(str(tmp_path / "a\x00b"), tmp_path).message
    assert refused(tmp_path / "missing", tmp_path).message == "file not found"


def test_refuses_a_file_over_the_limit(tmp_path):
    (tmp_path / "big").write_bytes(b"x" * (MAX_BYTES + 1))
    assert f"the limit is {MAX_BYTES} bytes" in refused(tmp_path / "big", tmp_path).message
    (tmp_path / "small").write_bytes(b"x" * 11)
    with pytest.raises(InputError):
        read_bytes(tmp_path / "small", tmp_path, limit=10)
    assert read_bytes(tmp_path / "small", tmp_path, limit=11) == b"x" * 11


@pytest.mark.parametrize("data,message,line,column", [
    ("a: 1\nb: \x00\n".encode(), "control character U+0000", 2, 4),
    ("a: \x1b[31m\n".encode(), "control character U+001B", 1, 4),
    ("a: 1\n".encode("utf-16-le"), "UTF-16 without a byte order mark", 1, 2),
    ("a: 1\n".encode("utf-16"), "the file is UTF-16", 1, 1),
    (b"a: 1\nb: \xff\n", "not valid UTF-8: byte 0xff", 2, 4),
])
def test_decoding_errors_are_located(data, message, line, column):
    with pytest.raises(InputError) as caught:
        decode(data)
    assert message in caught.value.message and (caught.value.line, caught.value.column) == (line, column)


def test_tabs_and_line_ends_are_text():
    assert decode(b"a:\tb\r\nc: \xc3\xa9\n") == "a:\tb\r\nc: \u00e9\n"


def test_json_nesting_is_bounded_before_parsing():
    assert parse_json('{"a": [[1]], "b": "[[[[["}') == {"a": [[1]], "b": "[[[[["}
    with pytest.raises(InputError) as caught:
        parse_json("\n" + "[" * 201 + "]" * 201)
    assert caught.value.message == "nested deeper than 200 levels" and caught.value.line == 2


def test_json_syntax_errors_are_located():
    with pytest.raises(InputError) as caught:
        parse_json('{\n  "a": nope\n}')
    assert (caught.value.line, caught.value.column) == (2, 8)
