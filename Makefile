# hello-lab: `make help` lists the targets; each one is a command from the README.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Defaults shared with compose, from .env; the environment and the command line win over them,
# and the version a rollout or rollback left running (.lab/deployed) wins over .env's.
$(foreach setting,$(shell cat .lab/deployed 2>/dev/null),$(eval $(subst =, ?= ,$(setting))))
$(foreach setting,$(shell grep -E '^[A-Z_]+=' .env),$(eval $(subst =, ?= ,$(setting))))
export APP_VERSION HTTP_BIND HTTP_PORT
# Switches that turn a protection of the lab off on purpose (README, "Break it").
export PROXY_RETRY PROXY_RESOLVE DRAIN
VERSION ?= $(APP_VERSION)
N ?= 3
NODE_IMAGE ?= node:24-alpine
NGINX_IMAGE ?= nginx:1.30-alpine
PROMETHEUS_IMAGE ?= prom/prometheus:v3.14.0
export NODE_IMAGE NGINX_IMAGE PROMETHEUS_IMAGE
IMAGE := hello-web:v$(VERSION)
COMPOSE := docker compose

# Build secret for npm behind a TLS-inspecting proxy: the CA file that Node already trusts.
ifneq ($(NODE_EXTRA_CA_CERTS),)
CA_SECRET := --secret id=extra_ca,src=$(NODE_EXTRA_CA_CERTS)
endif

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

node_modules: package-lock.json
	npm ci
	@touch node_modules

.PHONY: install
install: node_modules ## install the npm workspaces (npm ci)

.PHONY: build
build: node_modules ## compile every service (npm run build)
	npm run build

.PHONY: lint
lint: node_modules ## lint, format check and type check
	npx biome check .
	npm run typecheck

.PHONY: unit
unit: node_modules ## run the unit tests (no Docker needed)
	npx vitest run --project unit

.PHONY: test
test: node_modules lint ## run every test of the project
	npx vitest run

.PHONY: image
image: ## build the hello image hello-web:v<VERSION> (VERSION from .env; VERSION=2 for another)
	docker build -t $(IMAGE) -f services/Dockerfile --build-arg SERVICE=hello \
	  --build-arg NODE_IMAGE=$(NODE_IMAGE) --build-arg APP_VERSION=$(VERSION) $(CA_SECRET) .

.PHONY: run
run: ## run hello-web:v<VERSION> alone on http://127.0.0.1:8080/ (Ctrl-C stops it)
	docker run --rm --name hello-web --init --read-only --cap-drop ALL --security-opt no-new-privileges \
	  -p 127.0.0.1:$(HTTP_PORT):8080 $(IMAGE)

.PHONY: up
up: ## start the lab with N hello replicas behind nginx (N=3), once all are healthy
	$(COMPOSE) up -d --build --wait --scale hello=$(N)
	@echo "lab up: http://$(HTTP_BIND):$(HTTP_PORT)/ ($(N) replicas)"

.PHONY: scale
scale: ## change the number of hello replicas live (make scale N=5)
	$(COMPOSE) up -d --no-recreate --wait --scale hello=$(N)

.PHONY: ps
ps: ## list the lab's containers and their health
	$(COMPOSE) ps

.PHONY: logs
logs: ## follow the logs of every service (Ctrl-C stops following)
	$(COMPOSE) logs -f --tail=50

.PHONY: down
down: ## stop the lab and remove its containers, networks and volumes
	$(COMPOSE) --profile bench down --volumes --remove-orphans
	rm -rf .lab

.PHONY: clean
clean: down ## also remove the images the lab built and the reports
	-docker image rm $$(docker image ls -q 'hello-web' ; docker image ls -q 'hello-lab-*') 2>/dev/null
	rm -rf $(REPORTS)

# The load generator writes its reports as the host user, so they are yours to read and delete.
# A root host gets the image's own unprivileged user instead, which then owns reports/.
HOST_UID := $(shell id -u)
ifeq ($(HOST_UID),0)
LOADGEN_USER ?= 1000:1000
else
LOADGEN_USER ?= $(HOST_UID):$(shell id -g)
endif
export LOADGEN_USER
# Passed through to the load generator when set (see `docker compose run --rm loadgen --help`).
export DURATION CONNECTIONS RATE ARRIVALS AMOUNT PIPELINING WARMUP LABEL

# Where reports go on the host; compose mounts it at /reports (an absolute path, or compose
# would take a bare name for a named volume).
REPORTS ?= reports
export REPORTS_HOST_DIR := $(abspath $(REPORTS))

.PHONY: reports
reports:
	mkdir -p $(REPORTS)
	if [ "$(HOST_UID)" = 0 ]; then chown $(LOADGEN_USER) $(REPORTS); fi

.PHONY: bench
bench: reports lab-running ## load nginx for DURATION s (10) with CONNECTIONS (10) or at RATE req/s; report to reports/
	$(COMPOSE) --progress quiet run --rm --build --no-deps loadgen

# The sweep's largest number of replicas.
SWEEP_MAX ?= 4

.PHONY: bench-sweep
bench-sweep: reports lab-running ## bench at 1, 2 ... SWEEP_MAX replicas (4): throughput and p99 against replicas
	bash scripts/lab/bench-sweep.sh $(SWEEP_MAX)

.PHONY: bench-curve
bench-curve: reports lab-running ## latency against offered load, 10 % to 110 % of capacity, beside the theory (DURATION s a load)
	$(COMPOSE) --progress quiet run --rm --build --no-deps --entrypoint node loadgen services/loadgen/dist/curve.js

# The targets that load the lab start it first when nginx is not running.
.PHONY: lab-running
lab-running:
	@[ -n "$$($(COMPOSE) ps -q --status running nginx)" ] || $(MAKE) --no-print-directory up

.PHONY: rollout
rollout: ## replace every replica by hello-web:v<VERSION> while serving (make rollout VERSION=2)
	@$(if $(filter command line environment,$(origin VERSION)),,$(error make rollout needs the version to roll out to, for example: make rollout VERSION=2))
	bash scripts/lab/rollout.sh $(VERSION) $(or $(STEP),1)

.PHONY: rollback
rollback: ## go back to the version that ran before the last rollout, the same way
	@test -f .lab/previous || { echo "make rollback: no rollout to go back from" >&2; exit 2; }
	bash scripts/lab/rollout.sh $$(sed -n 's/^APP_VERSION=//p' .lab/previous) $(or $(STEP),1)

# A bench with one fault halfway through; the report marks the fault and the recovery.
CHAOS ?= kill
CHAOS_DURATION := $(or $(DURATION),20)
# How long CHAOS=pause freezes the replica, in seconds: longer than nginx's read timeout (12 s),
# so that nginx gives up on the frozen replica and moves its requests on.
PAUSE ?= 15
export PAUSE

.PHONY: chaos
chaos: reports lab-running ## bench with a fault midway: CHAOS=kill (default), stop, pause or restart-nginx
	bash scripts/lab/chaos-bench.sh $(CHAOS) $(CHAOS_DURATION)

.PHONY: standin-images
standin-images: ## build local stand-ins for the base images when no registry is reachable
	bash scripts/setup/standin-images.sh

.PHONY: engine
engine: ## start a Docker engine with Compose v2 and buildx on a Debian machine that has none
	bash scripts/setup/docker-engine.sh

.PHONY: bench-hello
bench-hello: build ## requests/s of hello against the seed's bare node:http server, side by side
	npm run --silent bench -w services/hello -- $(BENCH_ARGS)

# Targets for bigger setups (Swarm, Kubernetes) and for the browser checks live in their own files.
include $(wildcard mk/*.mk)
