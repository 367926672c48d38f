"""Write synthesized output all or nothing: a failed run leaves the previous cdktf.out as it was."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def replace_atomically(target: Path) -> Iterator[Path]:
    """Yield a fresh staging directory beside ``target``; on success it becomes ``target``.

    On any exception the staging directory is removed and ``target`` is not touched. The swap
    is two renames on one file system, so no reader ever sees a half-written output.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.staging-", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = target.with_name(f"{target.name}.retired-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
