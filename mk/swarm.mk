# Docker Swarm: the lab as a stack (swarm/stack.yaml) on a swarm this engine manages.
# A single-node swarm is enough: docker swarm init --advertise-addr 127.0.0.1
SWARM_STACK ?= hello-lab
SWARM_HTTP_PORT ?= 8080
# The stack's secret: the word hello answers with instead of "Hello".
GREETING ?= Hello
export SWARM_STACK SWARM_HTTP_PORT GREETING
SWARM_FILE := swarm/stack.yaml
SWARM_HELLO := $(SWARM_STACK)_hello
VERSION_ALLOWED := 1 to 64 letters, digits, dots, dashes or underscores

# The targets need a swarm manager; say how to get one instead of docker's error.
define swarm-manager
@if [ "$$(docker info --format '{{.Swarm.ControlAvailable}}')" != true ]; then \
  echo "$@: this engine is not a swarm manager; start one with: docker swarm init --advertise-addr 127.0.0.1" >&2; \
  exit 2; fi
endef

# docker service update returns 0 when a failed update starts rolling back, before it is done:
# wait for the rollback, then fail with one line.
define rolled-back
@state() { docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' $(SWARM_HELLO); }; \
case "$$(state)" in rollback*) \
  for _ in $$(seq 120); do [ "$$(state)" = rollback_started ] || break; sleep 1; done; \
  echo "$@: $(IMAGE) failed its healthcheck or exited; the stack is back on its previous version" >&2; \
  exit 1;; esac
endef

.PHONY: swarm-up
swarm-up: ## deploy the lab as a swarm stack on SWARM_HTTP_PORT (8080), once every task is healthy
	$(swarm-manager)
	@# As hello checks it at start-up; a bad one would only show as tasks that keep restarting.
	@LC_ALL=C.UTF-8; [[ "$$GREETING" =~ ^[[:alpha:]]{1,32}$$ ]] || \
	  { echo "$@: GREETING=\"$$GREETING\" is not allowed: expected one word of 1 to 32 letters" >&2; exit 2; }
	@$(MAKE) --no-print-directory image
	$(COMPOSE) build nginx
	@# The secret goes to swarm from a private file that exists only for the deploy.
	umask 077; secret=$$(mktemp); trap 'rm -f "$$secret"' EXIT; \
	printf '%s\n' "$$GREETING" >"$$secret"; \
	GREETING_SECRET_FILE=$$secret GREETING_ID=$$(sha256sum <"$$secret" | cut -c1-12) APP_VERSION=$(VERSION) \
	  docker stack deploy --detach=false --quiet --resolve-image never -c $(SWARM_FILE) $(SWARM_STACK)
	@echo "stack $(SWARM_STACK) up: http://127.0.0.1:$(SWARM_HTTP_PORT)/"

.PHONY: swarm-scale
swarm-scale: ## change the number of hello replicas in the stack (make swarm-scale N=5)
	$(swarm-manager)
	@[[ "$(N)" =~ ^[0-9]+$$ ]] || { echo "$@: N=\"$(N)\" is not allowed: expected a whole number" >&2; exit 2; }
	docker service scale --detach=false $(SWARM_HELLO)=$(N)

.PHONY: swarm-rollout
swarm-rollout: ## roll the stack over to hello-web:v<VERSION>, one replica at a time, new before old
	$(swarm-manager)
	@[[ "$(VERSION)" =~ ^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$$ ]] || \
	  { echo "$@: VERSION=\"$(VERSION)\" is not allowed: expected $(VERSION_ALLOWED)" >&2; exit 2; }
	@$(MAKE) --no-print-directory image VERSION=$(VERSION)
	docker service update --detach=false --quiet --no-resolve-image --image $(IMAGE) $(SWARM_HELLO)
	$(rolled-back)

.PHONY: swarm-rollback
swarm-rollback: ## undo the stack's last rollout (or scale), one replica at a time
	$(swarm-manager)
	docker service rollback --detach=false --quiet $(SWARM_HELLO)

.PHONY: swarm-ps
swarm-ps: ## list the stack's services and their tasks
	docker stack services $(SWARM_STACK)
	docker stack ps --no-trunc --format 'table {{.Name}}\t{{.Image}}\t{{.CurrentState}}\t{{.Error}}' $(SWARM_STACK)

# Swarm removes a stack's containers and network in the background, after its services.
STACK_LEFTOVERS := docker ps -aq --filter label=com.docker.stack.namespace=$(SWARM_STACK); \
  docker network ls -q --filter label=com.docker.stack.namespace=$(SWARM_STACK)

.PHONY: swarm-down
swarm-down: ## remove the stack: its services, containers, network and secrets (the swarm stays)
	@if [ "$$(docker info --format '{{.Swarm.LocalNodeState}}')" = inactive ]; then \
	  echo "$@: this engine is in no swarm: no stack to remove"; exit 0; fi; \
	echo "docker stack rm $(SWARM_STACK)"; docker stack rm $(SWARM_STACK); \
	for _ in $$(seq 60); do [ -z "$$($(STACK_LEFTOVERS))" ] && exit 0; sleep 1; done; \
	echo "$@: the stack's containers or network are still there after 60 s" >&2; exit 1
