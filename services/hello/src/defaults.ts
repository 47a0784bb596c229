// Values that the config and the container healthcheck share. Kept free of imports: the
// healthcheck loads this file every few seconds, and each millisecond of start-up is CPU taken
// from the replica it checks.
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '0.0.0.0';
export const READY_PATH = '/readyz';
