# Performance: how close the lab gets to the machine's limit, measured side by side in one run
# (perf/, README "Performance"). The job starts its own compose project (PERF_PROJECT,
# hello-lab-perf) on its own port (PERF_PORT, 18090), loads only loopback and that project, and
# takes it down again, also after a failure or Ctrl-C. Sizes: PERF_DURATION, PERF_REPETITIONS,
# PERF_REPLICAS ... (make perf-help lists them). Needs wrk for the load
# generator's ceiling (Debian: apt-get install -y wrk).
# The job reads the shared package from its source; the load generator it runs on the host (items
# 5 and 8) is the built one, rebuilt here when its sources changed.
PERF := npx tsx --conditions=source perf/src/main.ts
LOADGEN_DIST := services/loadgen/dist/cli.js
$(LOADGEN_DIST): node_modules $(shell find services/loadgen/src packages/shared/src -name '*.ts')
	npm run --silent build -w packages/shared -w services/loadgen
	@touch $@

.PHONY: perf
perf: node_modules $(LOADGEN_DIST) ## measure the lab against the machine's limit, side by side (about 14 min); ratios to reports/perf-latest.md
	$(PERF)

.PHONY: perf-quick
perf-quick: node_modules $(LOADGEN_DIST) ## the same job at tiny sizes (a few minutes): proves it works, measures little
	$(PERF) --quick

.PHONY: perf-help
perf-help: node_modules ## list the perf job's sizes, their variables and defaults
	$(PERF) --help
