"""How two environments differ after synthesis, with the expected differences normalized away:
environment names (qa, ml_qa, /Shared/mlops/qa, stmlopsqa), GUIDs (subscriptions,
application ids), workspace hosts and state keys. What remains is what a reviewer must judge:
is Prod what QA tested?"""
from __future__ import annotations

from .diff import diff
from .markdown import _value as _short
from .normalize import normalizer
from .names import Namer
from .resources import Resources


def _kinds(stacks: dict[str, Resources], env: str) -> dict[str, Resources]:
    return {stack.split("-", 1)[1]: resources for stack, resources in stacks.items() if stack.split("-", 1)[0] == env}


def environment_diff(stacks: dict[str, Resources], left: str, right: str) -> str:
    a, b = _kinds(stacks, left), _kinds(stacks, right)
    if not a or not b:
        missing = [env for env, found in ((left, a), (right, b)) if not found]
        raise ValueError(f"no stacks for environment(s) {', '.join(missing)} in the synth output")
    norm_a, norm_b = normalizer(left), normalizer(right)
    lines = [f"## {left} vs {right}", "",
             "Environment names, GUIDs and workspace hosts are normalized; what remains differs for real.", ""]
    total = 0
    for kind in sorted(set(a) | set(b)):
        left_res = {addr: norm_a(cfg) for addr, cfg in a.get(kind, {}).items()}
        right_res = {addr: norm_b(cfg) for addr, cfg in b.get(kind, {}).items()}
        section = []
        name_left, name_right = Namer(left_res), Namer(right_res)
        for address in sorted(set(left_res) | set(right_res)):
            l, r = left_res.get(address), right_res.get(address)
            rtype = address.split(".", 1)[0]
            if r is None:
                section.append(f"- only in {left}: `{rtype}` {name_left(address, l)}")
            elif l is None:
                section.append(f"- only in {right}: `{rtype}` {name_right(address, r)}")
            else:
                fields = diff(l, r)
                if fields:
                    section.append(f"- differs: `{rtype}` {name_left(address, l)}")
                    section += [f"  - `{f.path}`: {left} {_short(f.before)} / {right} {_short(f.after)}" for f in fields]
        total += sum(1 for line in section if line.startswith("- "))
        lines += [f"### {kind}", ""] + (section or ["No differences."]) + [""]
    lines.insert(3, f"{total} resources differ.")
    return "\n".join(lines)
