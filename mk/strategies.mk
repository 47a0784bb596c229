# The balancing strategies side by side (scripts/lab/strategies.sh): nginx's round robin,
# least_conn, random two least_conn, a hash on the client and one replica per connection, each on
# a port of the proxy that only the lab's network reaches (nginx/strategies.conf), with one replica
# at half speed for the whole comparison.

.PHONY: strategies
strategies: reports lab-running ## the same load through each balancing strategy, one replica at half speed (DURATION s each, 10); to reports/
	bash scripts/lab/strategies.sh
