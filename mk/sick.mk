# Sick replicas on demand (scripts/lab/sick.sh): one replica made slow, failing, unready or
# stalled through its operator port, which only the lab's own network reaches, and healed again.
# REPLICA is compose's number of the container (hello-lab-hello-2 is 2).

.PHONY: sick
sick: ## make replica REPLICA sick: MODE=slow (FACTOR=2), fail (SHARE=0.5), unready or stall
	@FACTOR='$(FACTOR)' SHARE='$(SHARE)' bash scripts/lab/sick.sh '$(MODE)' '$(REPLICA)'

.PHONY: heal
heal: ## heal replica REPLICA, or every replica without REPLICA=
	@bash scripts/lab/sick.sh heal '$(REPLICA)'
