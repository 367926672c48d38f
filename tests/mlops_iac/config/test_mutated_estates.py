"""Property: no input makes the loader fail other than with located diagnostics, or hang.

Hypothesis mutates a copy of the reference fixture estate (fixed seed: derandomized, a bounded
count of examples, no example database): types changed, lines deleted, keys misspelt, YAML syntax
broken, lines duplicated, unicode and control characters inserted, huge values, alias bombs,
deep nesting, UTF-16, path escapes through symlinks, FIFOs, devices, symlink loops and
directories in place of files. Every example must load or raise ConfigError within a time
bound; its error text is located, printable and never holds a planted secret or the content of a
file outside the project. Estates that fail to load also go through the CLI (`synth`): exit 1,
no internal error.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mlops_iac.config import ConfigError, load_environments
from tests.conftest import REFERENCE

EXAMPLES = 150
SECONDS_PER_EXAMPLE = 20
FILES = sorted(str(p.relative_to(REFERENCE)) for p in REFERENCE.rglob("*")
               if p.is_file() and p.parts[len(REFERENCE.parts)] in ("envs", "projects"))
YAML_FILES = [f for f in FILES if f.endswith((".yaml", ".yml"))]
VALUES = ["42", "null", "[]", "{}", "true", "-1", "2001-02-30", "!!binary aGVsbG8=", "!foo x", '!!int "x"',
          "'x'", '"\\0"', "0o777", "1e999", "~", "[1, [2, [3]]]", "{a: {b: c}}", "*nope", "&a [1, *a]",
          "../../outside.txt", "''", "ml.qa", "a/b", "..", "{REPO_PATH}", "'{pipeline:x}'", "!!timestamp 2024-13-45",
          "!!bool maybe", "'\\u202e'", "ghp_PLANTEDSECRET" + "0" * 30]
INSERTS = ["\x00", "\x1b[31m", "\u202e", "\ufeff", "\x85", "\u00e9", "\U0001f600", "\x7f", "\r", "\t", ":", "{",
           "[", "]", "}", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`", "#", "- ", ",", "\n", "\n  "]
PLANTED = "Q" * 12  # in the outside file; must never reach an error message
KEY = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w.-]*)(\s*:)", re.M)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def _replace_file(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def mutate(root: Path, outside: Path, data: st.DataObject) -> None:
    rel = data.draw(st.sampled_from(FILES), label="file")
    path = root / rel
    kind = data.draw(st.sampled_from([
        "retype", "delete", "misspell", "insert", "duplicate", "huge", "bomb", "deep", "utf16",
        "symlink-out", "fifo", "device", "loop", "directory", "empty", "escape"]), label="mutation")
    raw = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
    text = raw.decode("utf-8", "surrogateescape")  # an earlier mutation may have broken the encoding
    event(kind)
    lines = _lines(text)
    line = data.draw(st.integers(0, len(lines) - 1), label="line")
    if kind == "retype" and ": " in lines[line]:
        head = lines[line].split(": ", 1)[0]
        lines[line] = f"{head}: {data.draw(st.sampled_from(VALUES), label='value')}\n"
    elif kind == "delete":
        del lines[line]
    elif kind == "misspell" and KEY.match(lines[line]):
        match = KEY.match(lines[line])
        key = match.group(2)
        at = data.draw(st.integers(0, len(key) - 1), label="at")
        how = data.draw(st.sampled_from(["drop", "double", "upper", "swap"]), label="how")
        key = {"drop": key[:at] + key[at + 1:], "double": key[:at] + key[at] + key[at:],
               "upper": key.upper(), "swap": key[:at] + key[at + 1:at + 2] + key[at] + key[at + 2:]}[how] or "x"
        lines[line] = match.group(1) + key + lines[line][match.end(2):]
    elif kind == "insert":
        at = data.draw(st.integers(0, len(lines[line])), label="at")
        lines[line] = lines[line][:at] + data.draw(st.sampled_from(INSERTS), label="insert") + lines[line][at:]
    elif kind == "duplicate":
        lines.insert(line, lines[line])
    elif kind == "huge" and ": " in lines[line]:
        size = data.draw(st.sampled_from([10_000, 2_000_000]), label="size")
        lines[line] = lines[line].split(": ", 1)[0] + ": " + "x" * size + "\n"
    elif kind == "bomb":
        lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"] + [
            f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)]
    elif kind == "deep":
        depth = data.draw(st.sampled_from([150, 250, 5000]), label="depth")
        lines.insert(line, "deep: " + "[" * depth + "]" * depth + "\n")
    if kind in ("retype", "delete", "misspell", "insert", "duplicate", "huge", "bomb", "deep"):
        _replace_file(path)
        path.write_bytes("".join(lines).encode("utf-8", "surrogateescape"))
        return
    _replace_file(path)
    if kind == "utf16":
        path.write_bytes(text.encode(data.draw(st.sampled_from(["utf-16-le", "utf-16"]), label="encoding"),
                                     "surrogatepass"))
    elif kind == "symlink-out":
        os.symlink(outside, path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.symlink(data.draw(st.sampled_from(["/dev/zero", "/dev/null", "/dev/urandom"]), label="device"), path)
    elif kind == "loop":
        os.symlink(path.name, path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_text("")
    elif kind == "escape":  # a path in the config that leaves the project
        text = text.replace("envs/init_scripts/", "../../").replace("envs/policies/", "envs/../../")
        path.write_bytes(text.encode("utf-8", "surrogateescape"))


def _load(envs: Path) -> dict:
    outcome: dict = {}

    def run() -> None:
        try:
            load_environments(envs)
            outcome["ok"] = True
        except ConfigError as error:
            outcome["error"] = error
        except BaseException as error:  # noqa: BLE001 - the property's failure
            outcome["internal"] = error

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(SECONDS_PER_EXAMPLE)
    assert not thread.is_alive(), f"loading hung for more than {SECONDS_PER_EXAMPLE} s"
    outcome["seconds"] = time.monotonic() - started
    return outcome


def _assert_safe(text: str) -> None:
    assert PLANTED not in text and "PLANTEDSECRET" not in text
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", text), repr(text[:200])


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_estates_load_or_fail_with_located_diagnostics(tmp_path, data):
    from mlops_iac.app.cli import main

    with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
        scratch = Path(scratch)
        root = scratch / "estate"
        shutil.copytree(REFERENCE / "envs", root / "envs")
        shutil.copytree(REFERENCE / "projects", root / "projects")
        outside = scratch / "outside.txt"
        outside.write_text(f"token: ghp_{PLANTED}{'Q' * 30}\n")
        for _ in range(data.draw(st.integers(1, 3), label="mutations")):
            mutate(root, outside, data)
        outcome = _load(root / "envs")
        assert "internal" not in outcome, f"internal error: {outcome['internal']!r}"
        event("loaded" if "error" not in outcome else "ConfigError")
        if "error" not in outcome:
            return
        for diagnostic in outcome["error"].diagnostics:
            assert diagnostic.location.file and diagnostic.location.line >= 1
            _assert_safe(diagnostic.render())
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(["synth", "--envs", str(root / "envs"), "--out", str(scratch / "out")])
        assert code == 1, stderr.getvalue()[-2000:]
        assert "internal error" not in stderr.getvalue() and "Traceback" not in stderr.getvalue()
        _assert_safe(stderr.getvalue())
