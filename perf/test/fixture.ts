// One run's measurements, kept once: the figures and the rendering are tested against it.
import type { Measurements } from '../src/measurements.js';
import { DEFAULTS } from '../src/options.js';

const server = (rps: number, perCpu: number, serverCores: number, loadgenCores: number) => ({
  rps,
  requests: rps * 10,
  errors: 0,
  serverCores,
  serverLimit: 0.5,
  requestsPerCpuSecond: perCpu,
  loadgenCores,
  loadgenLimit: 1,
});

const saturation = (replicas: number, rps: number, replicaCores: number) => ({
  replicas,
  rps,
  errors: 0,
  loadgenCores: 0.06,
  loadgenLimit: 1,
  nginxLimit: 1,
  nginxCores: 0.03,
  replicaCores,
  otherCores: 0.05,
  cpuMs: 4,
  modelCapacityRps: replicas === 1 ? 245 : 480,
});

const openLoop = (p99Ms: number, late: number) => ({
  p50Ms: 4.5,
  p99Ms,
  sentP99Ms: p99Ms - 2,
  late,
  scheduled: 2340,
  errors: 0,
});

const latency = (p50Ms: number, p99Ms: number) => ({
  p50Ms,
  p99Ms,
  requests: 20_000,
  errors: 0,
  reconnects: 0,
});

const liveView = (prometheusCores: number, nginxCores: number, requests: number) => ({
  prometheusCores,
  nginxCores,
  requests,
  failed: 0,
});

export const MEASUREMENTS: Measurements = {
  startedAt: '2026-11-26T18:00:00.000Z',
  finishedAt: '2026-11-26T18:09:30.000Z',
  cores: 2,
  options: { ...DEFAULTS },
  versions: { node: 'v20.20.2', wrk: 'wrk debian/4.1.0-3+b2', docker: '20.10.24' },
  startup: [7.1, 6.9, 7.4],
  serviceTime: [
    { cpuMs: 4, wallMs: 4.1, rps: 240 },
    { cpuMs: 4.2, wallMs: 4.3, rps: 232 },
    { cpuMs: 3.9, wallMs: 4, rps: 250 },
  ],
  saturation: [
    saturation(1, 240, 0.95),
    saturation(1, 236, 0.94),
    saturation(1, 238, 0.95),
    saturation(2, 470, 1.85),
    saturation(2, 460, 1.82),
    saturation(2, 468, 1.84),
    saturation(3, 466, 1.85),
    saturation(3, 470, 1.86),
    saturation(3, 380, 1.5),
  ],
  halfLoad: [
    { first: 'inside', replicas: 3, rate: 234, inside: openLoop(10, 30), port: openLoop(18, 40) },
    { first: 'port', replicas: 3, rate: 234, inside: openLoop(9, 20), port: openLoop(17, 35) },
    { first: 'inside', replicas: 3, rate: 234, inside: openLoop(11, 25), port: openLoop(19, 50) },
  ],
  direct: [
    { first: 'nginx', nginx: { rps: 470, errors: 0 }, direct: { rps: 500, errors: 0 } },
    { first: 'direct', nginx: { rps: 460, errors: 0 }, direct: { rps: 490, errors: 0 } },
    { first: 'nginx', nginx: { rps: 468, errors: 0 }, direct: { rps: 495, errors: 0 } },
  ],
  seed: [
    { first: 'seed', seed: server(40_000, 80_000, 0.5, 0.8), hello: server(32_000, 64_000, 0.5, 0.7) },
    { first: 'hello', seed: server(41_000, 82_000, 0.5, 0.8), hello: server(33_000, 66_000, 0.5, 0.7) },
    { first: 'seed', seed: server(39_000, 78_000, 0.49, 0.8), hello: server(31_000, 62_000, 0.49, 0.7) },
  ],
  // wrk on the host: one thread, a core at most.
  seedWrk: [
    { first: 'seed', seed: server(30_000, 60_000, 0.5, 0.3), hello: server(28_500, 57_000, 0.5, 0.3) },
    { first: 'hello', seed: server(31_000, 62_000, 0.5, 0.31), hello: server(29_000, 58_000, 0.5, 0.3) },
    { first: 'seed', seed: server(29_000, 58_000, 0.49, 0.29), hello: server(27_000, 54_000, 0.49, 0.27) },
  ],
  proxy: [
    {
      connections: 1,
      first: 'direct',
      direct: latency(0.07, 0.15),
      nginx: latency(0.15, 0.35),
      bare: latency(0.14, 0.33),
    },
    {
      connections: 1,
      first: 'nginx',
      direct: latency(0.08, 0.16),
      nginx: latency(0.16, 0.38),
      bare: latency(0.15, 0.34),
    },
    {
      connections: 1,
      first: 'bare',
      direct: latency(0.07, 0.14),
      nginx: latency(0.15, 0.36),
      bare: latency(0.13, 0.35),
    },
    {
      connections: 10,
      first: 'direct',
      direct: latency(0.14, 0.5),
      nginx: latency(0.4, 1.2),
      bare: latency(0.36, 1.1),
    },
    {
      connections: 10,
      first: 'nginx',
      direct: latency(0.15, 0.6),
      nginx: latency(0.41, 1.3),
      bare: latency(0.38, 1.2),
    },
    {
      connections: 10,
      first: 'bare',
      direct: latency(0.14, 0.55),
      nginx: latency(0.38, 1.1),
      bare: latency(0.35, 1.0),
    },
  ],
  fairness: [
    {
      requests: 10_000,
      errors: 0,
      hostnames: { a: 3334, b: 3333, c: 3333 },
      newConnections: 0,
      healthChecks: 3,
    },
    {
      requests: 10_000,
      errors: 0,
      hostnames: { a: 3333, b: 3334, c: 3333 },
      newConnections: 2,
      healthChecks: 2,
    },
    {
      requests: 10_000,
      errors: 0,
      hostnames: { a: 3333, b: 3333, c: 3334 },
      newConnections: 0,
      healthChecks: 3,
    },
  ],
  ceiling: [
    {
      first: 'wrk',
      wrk: { rps: 70_000, targetCores: 0.97, wrkCores: 0.6 },
      loadgen: { rps: 56_000, targetCores: 0.7, loadgenCores: 0.99 },
    },
    {
      first: 'loadgen',
      wrk: { rps: 72_000, targetCores: 0.98, wrkCores: 0.62 },
      loadgen: { rps: 57_000, targetCores: 0.7, loadgenCores: 0.99 },
    },
    {
      first: 'wrk',
      wrk: { rps: 71_000, targetCores: 0.97, wrkCores: 0.61 },
      loadgen: { rps: 55_000, targetCores: 0.69, loadgenCores: 0.98 },
    },
  ],
  liveViewCpu: [
    {
      first: 'scrapes',
      replicas: 5,
      scrapes: liveView(0.016, 0.001, 0),
      queries: liveView(0.036, 0.003, 50),
    },
    {
      first: 'queries',
      replicas: 5,
      scrapes: liveView(0.014, 0.001, 0),
      queries: liveView(0.04, 0.004, 50),
    },
    {
      first: 'scrapes',
      replicas: 5,
      scrapes: liveView(0.015, 0.002, 0),
      queries: liveView(0.038, 0.002, 50),
    },
  ],
  liveViewBench: [400, 398, 410, 404, 405, 407].map((rps, i) => ({
    withQueries: i % 2 === 1,
    replicas: 5,
    rps,
    errors: 0,
    requests: i % 2 === 1 ? 50 : 0,
    failed: 0,
  })),
  skipped: {},
};
