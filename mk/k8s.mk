# Kubernetes: the lab as manifests (k8s/, kustomize), for minikube or any cluster.
# (The targets are named kube-*: `make help` lists names of letters, dashes and underscores.)
K8S_DIR := k8s

.PHONY: kube-render
kube-render: ## print the Kubernetes manifests as kustomize renders them (kubectl kustomize k8s)
	kubectl kustomize $(K8S_DIR)

.PHONY: kube-validate
kube-validate: node_modules ## check the manifests offline: API schema, kustomize, agreement with compose and swarm
	npx vitest run --project unit test/contract

.PHONY: kube-images
kube-images: ## build the images and load them into minikube (no registry needed)
	APP_VERSION=$(VERSION) $(COMPOSE) build hello nginx
	minikube image load $(IMAGE) hello-lab-nginx:latest

.PHONY: kube-apply
kube-apply: ## create or update the lab on the cluster of kubectl's current context
	kubectl apply -k $(K8S_DIR)

.PHONY: kube-delete
kube-delete: ## remove the lab from that cluster again
	kubectl delete -k $(K8S_DIR) --ignore-not-found

.PHONY: kubectl-install
kubectl-install: ## as root: install kubectl (for kubectl kustomize) from Debian's packages, if none is on PATH
	bash scripts/setup/kubectl-install.sh
