"""The bundle reader shares the loader's bounds: aliases, nesting, special files, paths."""
from __future__ import annotations

import os

import pytest

from mlops_iac.config.bundle_import.reader import BundleError, read_bundle


def bundle_error(root) -> str:
    with pytest.raises(BundleError) as caught:
        read_bundle(root)
    return str(caught.value)


def test_recursive_alias_and_alias_bomb_are_bundle_errors(tmp_path):
    (tmp_path / "databricks.yml").write_text("bundle: {name: x}\nloop: &a [1, *a]\n")
    assert bundle_error(tmp_path).startswith("databricks.yml:2:7: recursive alias")
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 8))
    (tmp_path / "databricks.yml").write_text(bomb)
    assert "alias expansion beyond 100000 values" in bundle_error(tmp_path)


def test_deep_nesting_and_bad_values_are_bundle_errors(tmp_path):
    (tmp_path / "databricks.yml").write_text("a: " + "[" * 300 + "]" * 300 + "\n")
    assert bundle_error(tmp_path).startswith("databricks.yml:1:") and "nested deeper than 200" in bundle_error(tmp_path)
    (tmp_path / "databricks.yml").write_text("a: !!int x\n")
    assert bundle_error(tmp_path).startswith("databricks.yml:1:4: cannot read this value as !!int")


def test_included_files_may_not_leave_the_bundle_or_be_special(tmp_path):
    root = tmp_path / "bundle"
    (root / "resources").mkdir(parents=True)
    (root / "databricks.yml").write_text("bundle: {name: x}\ninclude: [resources/*.yml]\n")
    (tmp_path / "secret.yml").write_text("token: not-for-ci-logs\n")
    os.symlink(tmp_path / "secret.yml", root / "resources" / "a.yml")
    message = bundle_error(root)
    assert message.startswith("resources/a.yml:1: cannot read: the path leads outside") and "not-for" not in message
    (root / "resources" / "a.yml").unlink()
    os.mkfifo(root / "resources" / "b.yml")
    # a FIFO is no regular file: the include glob skips it, nothing blocks
    assert [f.rel for f in read_bundle(root).files] == ["databricks.yml"]
