# Overload side by side (scripts/lab/overload.sh): far more clients than the replicas can answer,
# with the replicas' queue bound on and off, and what nginx's log says of each run.

.PHONY: overload
overload: lab-running ## CLIENTS="1000 3000" keep-alive clients for DURATION s (15) each, queue bound on and off: goodput, refusals, attempts per request
	bash scripts/lab/overload.sh
