# hello-lab: `make help` lists the targets; each one is a command from the README.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

include .env
VERSION ?= $(APP_VERSION)
NODE_IMAGE ?= node:24-alpine
IMAGE := hello-web:v$(VERSION)
PORT ?= 8080

# Build secret for npm behind a TLS-inspecting proxy: the CA file that Node already trusts.
ifneq ($(NODE_EXTRA_CA_CERTS),)
CA_SECRET := --secret id=extra_ca,src=$(NODE_EXTRA_CA_CERTS)
endif

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

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
	docker build -t $(IMAGE) -f services/hello/Dockerfile \
	  --build-arg NODE_IMAGE=$(NODE_IMAGE) --build-arg APP_VERSION=$(VERSION) $(CA_SECRET) .

.PHONY: run
run: ## run hello-web:v<VERSION> alone on http://127.0.0.1:8080/ (Ctrl-C stops it)
	docker run --rm -it --init --read-only --cap-drop ALL --security-opt no-new-privileges \
	  -p 127.0.0.1:$(PORT):8080 $(IMAGE)

.PHONY: bench-hello
bench-hello: build ## requests/s of hello against the seed's bare node:http server, side by side
	npm run --silent bench -w services/hello
