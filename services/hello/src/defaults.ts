// Values that the config and the container healthcheck share. Kept free of imports: the
// healthcheck loads this file every few seconds, and each millisecond of start-up is CPU taken
// from the replica it checks.
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '0.0.0.0';
export const READY_PATH = '/readyz';

/**
 * The V8 flags the image starts the service with (services/Dockerfile, CMD): a young
 * generation fixed at 16 MB, which Node would size from a small container's memory at 1 MB.
 * `make bench-hello` starts the service with them too.
 */
export const NODE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'] as const;
