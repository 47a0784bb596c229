// The container's HEALTHCHECK: asks the service's readiness endpoint, needing no curl or wget.
import { loadConfig } from './config.js';

const { HOST, PORT } = loadConfig();
const host = HOST === '0.0.0.0' || HOST === '::' ? '127.0.0.1' : HOST;

try {
  const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${PORT}/readyz`, {
    signal: AbortSignal.timeout(2000),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
