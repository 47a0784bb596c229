# A swarm of several Docker nodes on this machine (scripts/lab/cluster.sh): Docker-in-Docker
# containers as machines, a registry they pull from, and the swarm stack spread over them, nginx
# on 127.0.0.1:CLUSTER_HTTP_PORT. The nodes run with extra privileges: a simulation of machines,
# never for production. Everything it makes is named CLUSTER-... (hello-lab-node-1 ...).
CLUSTER ?= hello-lab
CLUSTER_HTTP_PORT ?= 8190
CLUSTER_REGISTRY_PORT ?= 8191
NODES ?= 3
export CLUSTER CLUSTER_HTTP_PORT CLUSTER_REGISTRY_PORT
CLUSTER_SH := bash scripts/lab/cluster.sh

.PHONY: cluster-up
cluster-up: ## start NODES (3) nodes and a registry, form a swarm and deploy the stack on CLUSTER_HTTP_PORT (8190)
	@APP_VERSION=$(VERSION) $(CLUSTER_SH) up '$(NODES)'

.PHONY: cluster-down
cluster-down: ## remove the cluster: its nodes, registry, volumes and network
	@$(CLUSTER_SH) down

.PHONY: cluster-scale
cluster-scale: ## change the number of hello replicas on the cluster (make cluster-scale N=4)
	@$(CLUSTER_SH) scale '$(N)'

.PHONY: cluster-ps
cluster-ps: ## list the cluster's nodes, the stack's services and where each task runs
	@$(CLUSTER_SH) ps

.PHONY: node-add
node-add: ## a new node joins the cluster's swarm (time to join)
	@$(CLUSTER_SH) add

.PHONY: node-drain
node-drain: ## move node NODE's tasks elsewhere, then keep it empty (make node-drain NODE=2)
	@$(CLUSTER_SH) drain '$(NODE)'

.PHONY: node-kill
node-kill: ## kill node NODE's container at once (time to detect, time to reschedule)
	@$(CLUSTER_SH) kill '$(NODE)'

.PHONY: node-back
node-back: ## start a killed node NODE again, or make a drained one active
	@$(CLUSTER_SH) back '$(NODE)'

.PHONY: cluster-rollout
cluster-rollout: ## roll the cluster's replicas over to hello-web:v<VERSION>, one at a time (make cluster-rollout VERSION=2)
	@$(if $(filter command line environment,$(origin VERSION)),,$(error make cluster-rollout needs the version to roll out to, for example: make cluster-rollout VERSION=2))
	@$(CLUSTER_SH) rollout '$(VERSION)'

.PHONY: cluster-rollback
cluster-rollback: ## undo the cluster's last rollout, one replica at a time
	@$(CLUSTER_SH) rollback

.PHONY: cluster-bench
cluster-bench: reports ## make bench against the cluster's nginx: answers by replica and by node, node events in the timeline
	@$(CLUSTER_SH) bench
