"""The cdktf app of this repository: environments in envs/ -> platform and workspace stacks."""
