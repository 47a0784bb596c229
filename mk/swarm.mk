# Docker Swarm: the lab as a stack (swarm/stack.yaml) on a swarm this engine manages
# (scripts/lab/swarm.sh). A single-node swarm is enough: docker swarm init --advertise-addr 127.0.0.1
SWARM_STACK ?= hello-lab
SWARM_HTTP_PORT ?= 8080
# The stack's secret: the word hello answers with instead of "Hello".
GREETING ?= Hello
# How long a rolling update watches each new task before it counts as a success.
SWARM_MONITOR ?= 10s
export SWARM_STACK SWARM_HTTP_PORT GREETING SWARM_MONITOR
SWARM := bash scripts/lab/swarm.sh

.PHONY: swarm-up
swarm-up: ## deploy the lab as a swarm stack on SWARM_HTTP_PORT (8080), once every task is healthy
	APP_VERSION=$(VERSION) $(SWARM) up

.PHONY: swarm-scale
swarm-scale: ## change the number of hello replicas in the stack (make swarm-scale N=5)
	$(SWARM) scale $(N)

.PHONY: swarm-rollout
swarm-rollout: ## roll the stack over to hello-web:v<VERSION>, one replica at a time, new before old
	$(SWARM) rollout $(VERSION)

.PHONY: swarm-rollback
swarm-rollback: ## undo the stack's last rollout (or scale), one replica at a time
	$(SWARM) rollback

.PHONY: swarm-ps
swarm-ps: ## list the stack's services and their tasks
	$(SWARM) ps

.PHONY: swarm-down
swarm-down: ## remove the stack: its services, containers, network and secrets (the swarm stays)
	$(SWARM) down
