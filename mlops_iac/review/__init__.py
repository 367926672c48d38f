"""Review tools for infra pull requests: change summaries (from synth outputs or Terraform plans),
environment diffs. Read synthesized JSON only: no cloud credentials, no cdktf import."""
