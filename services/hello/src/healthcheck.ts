// The container's HEALTHCHECK: asks the service's readiness endpoint, needing no curl or wget.
// Only node:http and constants: Docker runs this every few seconds inside the replica's CPU limit.
// PORT and HOST are read as they are; the server has already refused to start on bad values.
import { get } from 'node:http';
import { DEFAULT_HOST, DEFAULT_PORT, READY_PATH } from './defaults.js';

const port = process.env.PORT || DEFAULT_PORT;
const listen = process.env.HOST || DEFAULT_HOST;
const host = listen === '0.0.0.0' || listen === '::' ? '127.0.0.1' : listen;

get({ host, port, path: READY_PATH, timeout: 2000 }, (res) => process.exit(res.statusCode === 200 ? 0 : 1))
  .on('timeout', () => process.exit(1))
  .on('error', () => process.exit(1));
