# Kubernetes: the lab as manifests (k8s/, kustomize), for minikube or any cluster.
# (The targets are named kube-*: `make help` lists names of letters, dashes and underscores.)
K8S_DIR := k8s
# Where kubectl-install puts kubectl, and the Debian suite it takes it from (Debian 13: kubectl 1.32,
# whose `kubectl kustomize` is kustomize 5).
KUBECTL_DIR ?= /usr/local/bin
KUBECTL_SUITE ?= trixie

.PHONY: kube-render
kube-render: ## print the Kubernetes manifests as kustomize renders them (kubectl kustomize k8s)
	kubectl kustomize $(K8S_DIR)

.PHONY: kube-validate
kube-validate: node_modules ## check the manifests offline: API schema, kustomize, agreement with compose and swarm
	npx vitest run --project unit test/unit

.PHONY: kube-images
kube-images: ## build the images and load them into minikube (no registry needed)
	@$(MAKE) --no-print-directory image
	$(COMPOSE) build nginx
	minikube image load $(IMAGE) hello-lab-nginx:latest

.PHONY: kube-apply
kube-apply: ## create or update the lab on the cluster of kubectl's current context
	kubectl apply -k $(K8S_DIR)

.PHONY: kube-delete
kube-delete: ## remove the lab from that cluster again
	kubectl delete -k $(K8S_DIR) --ignore-not-found

# Debian ships kubectl as a program with no dependency but libc, so the package of a newer suite
# unpacks and runs here. apt-get works on private lists and caches: the system's apt state stays
# untouched. The mirror is the machine's own (deb822 sources first, then sources.list).
.PHONY: kubectl-install
kubectl-install: ## as root: install kubectl (for kubectl kustomize) from Debian's packages, if none is on PATH
	@if command -v kubectl >/dev/null; then echo "kubectl: $$(command -v kubectl) is already there"; exit 0; fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	uri=$$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $$2}' | grep -v security | head -n1 || true); \
	[ -n "$$uri" ] || uri=$$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null | awk '$$1 == "deb" && $$2 !~ /security/ {print $$2; exit}'); \
	[ -n "$$uri" ] || { echo "$@: no Debian mirror found in /etc/apt/sources.list(.d)" >&2; exit 1; }; \
	mkdir -p "$$tmp/lists/partial" "$$tmp/cache/archives/partial" "$$tmp/parts"; \
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s $(KUBECTL_SUITE) main\n' "$$uri" >"$$tmp/sources.list"; \
	apt=(apt-get -qq -o Dir::State::Lists="$$tmp/lists" -o Dir::Etc::SourceList="$$tmp/sources.list" \
	  -o Dir::Etc::SourceParts="$$tmp/parts" -o Dir::Cache="$$tmp/cache" -o APT::Sandbox::User=root); \
	"$${apt[@]}" update; \
	(cd "$$tmp" && "$${apt[@]}" download "kubectl/$(KUBECTL_SUITE)"); \
	dpkg -x "$$tmp"/kubectl_*.deb "$$tmp/root"; \
	install -D -m 0755 "$$tmp/root/usr/bin/kubectl" "$(KUBECTL_DIR)/kubectl"; \
	"$(KUBECTL_DIR)/kubectl" version --client
