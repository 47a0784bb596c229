import type { PerfOptions } from './options.js';

// What the job measured, as numbers, one entry per repetition: measure/ fills it, figures.ts turns
// it into the report.

/** Service time: one run at one connection through nginx; the loop's mean times from Server-Timing. */
export interface ServiceTimeRun {
  cpuMs: number;
  wallMs: number;
  rps: number;
}

/** Saturation: one saturated run through nginx, and where the machine's CPU went meanwhile (cores). */
export interface SaturationRun {
  replicas: number;
  rps: number;
  errors: number;
  loadgenCores: number;
  /** What the driver container and nginx's may use. */
  loadgenLimit: number;
  nginxLimit: number;
  nginxCores: number;
  replicaCores: number;
  /** Everything else on the machine: other projects, other people's work, the kernel, Docker. */
  otherCores: number;
  /** The loop's mean CPU time per answer in this run, from Server-Timing. */
  cpuMs: number | null;
  /** The load generator's model of this run: min(replicas, free cores) / its S; null without S. */
  modelCapacityRps: number | null;
}

/** One open loop at a fixed rate: latency from each request's intended start, and from its send. */
export interface OpenLoopRun {
  p50Ms: number;
  p99Ms: number;
  sentP99Ms: number;
  /** Requests that left more than a millisecond after their time, of those scheduled. */
  late: number;
  scheduled: number;
  errors: number;
}

export const TAIL_PATHS = ['inside', 'port'] as const;
/** From the driver to nginx on the lab's network, or from the host through the published port. */
export type TailPath = (typeof TAIL_PATHS)[number];

/** Half the capacity, evenly spaced, by both paths one after the other from `first` on. */
export interface HalfLoadRun extends Record<TailPath, OpenLoopRun> {
  first: TailPath;
  replicas: number;
  rate: number;
}

/** Two replicas saturated through nginx, and the same two driven directly, one after the other. */
export interface DirectRun {
  first: 'nginx' | 'direct';
  nginx: { rps: number; errors: number };
  direct: { rps: number; errors: number };
}

export interface ServerRun {
  rps: number;
  requests: number;
  errors: number;
  /** The server process's CPU over the run, in cores, and what its container may use. */
  serverCores: number;
  serverLimit: number;
  requestsPerCpuSecond: number;
  /**
   * The load tool's CPU, in cores, and what it may use: the driver container's limit for the
   * lab's load generator, one core for wrk (one thread, on the host).
   */
  loadgenCores: number;
  loadgenLimit: number;
}

/** Hello against the seed: one after the other (in the order given), under the same load. */
export interface SeedRun {
  first: 'seed' | 'hello';
  seed: ServerRun;
  hello: ServerRun;
}

export interface LatencyRun {
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  /** Connections the server closed after saying so (nginx's keepalive_requests), opened again. */
  reconnects: number;
}

export const PROXY_PATHS = ['direct', 'nginx', 'bare'] as const;
/** To the replica itself, through the lab's nginx, through a bare nginx (perf/nginx-bare.conf). */
export type ProxyPath = (typeof PROXY_PATHS)[number];

/** Proxy latency: the same probe on each path to one replica, one after the other from `first` on. */
export interface ProxyRun extends Record<ProxyPath, LatencyRun> {
  connections: number;
  first: ProxyPath;
}

/** Round robin, and the proxy's keep-alive check: a counted run through nginx to every replica. */
export interface FairnessRun {
  requests: number;
  errors: number;
  hostnames: Record<string, number>;
  /** New TCP connections the replicas accepted from nginx during the run (http_connections_total). */
  newConnections: number;
  /** The replicas' health checks meanwhile, whose own connections were left out of newConnections. */
  healthChecks: number;
}

/** The load generator against wrk: both against the same trivial target on loopback. */
export interface CeilingRun {
  first: 'wrk' | 'loadgen';
  wrk: { rps: number; targetCores: number; wrkCores: number };
  loadgen: { rps: number; targetCores: number; loadgenCores: number };
}

export const LIVE_VIEW_PHASES = ['scrapes', 'queries'] as const;
/** Prometheus scraping the replicas only, or also answering the live page's queries each second. */
export type LiveViewPhase = (typeof LIVE_VIEW_PHASES)[number];

/** CPU of Prometheus and nginx over one phase, in cores, from their cgroups. */
export interface LiveViewCpu {
  prometheusCores: number;
  nginxCores: number;
  /** The page's requests sent and those not answered with success (none in the scrapes phase). */
  requests: number;
  failed: number;
}

/** The live view's cost, CPU: both phases one after the other from `first` on, on an idle lab. */
export interface LiveViewCpuRun extends Record<LiveViewPhase, LiveViewCpu> {
  first: LiveViewPhase;
  replicas: number;
}

/** The live view's cost, throughput: one saturated bench through nginx, with or without the page's queries. */
export interface LiveViewBenchRun {
  withQueries: boolean;
  replicas: number;
  rps: number;
  errors: number;
  /** The page's requests sent meanwhile, and those that failed. */
  requests: number;
  failed: number;
}

export interface Measurements {
  startedAt: string;
  finishedAt: string;
  cores: number;
  options: PerfOptions;
  versions: Record<string, string>;
  /** Start-up: seconds from `docker compose up` to every replica healthy. */
  startup: number[];
  serviceTime: ServiceTimeRun[];
  saturation: SaturationRun[];
  halfLoad: HalfLoadRun[];
  direct: DirectRun[];
  /** Hello against the seed under the lab's load generator, in the driver, on loopback. */
  seed: SeedRun[];
  /** Hello against the seed under wrk, from the host to the driver's address; empty without wrk. */
  seedWrk: SeedRun[];
  proxy: ProxyRun[];
  fairness: FairnessRun[];
  ceiling: CeilingRun[];
  /** The live view's cost: Prometheus at 1 s scrapes with and without the page's queries. */
  liveViewCpu: LiveViewCpuRun[];
  /** Benches alternated without and with the page's queries, in the order run. */
  liveViewBench: LiveViewBenchRun[];
  /** Why a measurement could not run at all (a missing tool), by the name of its field above. */
  skipped: Record<string, string>;
}
