// The seed's server, unchanged but for the loop count, port and address, which come from the
// environment so the benchmarks can run both servers with the same setting.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const version = 1;
const iterations = Number(process.env.WORK_ITERATIONS ?? 1e7);
const server = createServer((_req, res) => {
  let i = iterations;
  while (i > 0) {
    i--;
  }
  res.end(`Hello from ${hostname()} (v${version})`);
});
server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1');
