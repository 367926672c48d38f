"""Scale benchmark: the repository's estate replicated to P projects, synthesized by mlops-iac and
by a plain cdktf TypeScript app side by side (see benchmarks/scale_benchmark.py)."""
