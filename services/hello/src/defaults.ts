// Values that the config shares with the container healthcheck and the lab's scripts. Kept free
// of imports: the healthcheck loads this file every few seconds, and each millisecond of start-up
// is CPU taken from the replica it checks.
export const DEFAULT_PORT = 8080;
// The operator listener (sick replicas on demand): no proxy sends there and nothing publishes it.
export const DEFAULT_OPERATOR_PORT = 8081;
export const DEFAULT_HOST = '0.0.0.0';
export const READY_PATH = '/readyz';

/**
 * The V8 flags the image starts the service with (services/Dockerfile, CMD): a young
 * generation fixed at 16 MB, which Node would size from a small container's memory at 1 MB.
 * `make bench-hello` starts the service with them too.
 */
export const NODE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'] as const;
