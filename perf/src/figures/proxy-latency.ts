import type { FairnessRun, Measurements, ProxyRun } from '../measurements.js';
import { median, round } from '../summary.js';
import { TARGETS } from '../targets.js';
import { figure, itemLabel, LOADGEN, PROBE, plural, type Section } from './figure.js';

/** The proxy's cost in latency at each number of connections, and whether it keeps its connections. */
export function proxyLatencySection(
  runs: ProxyRun[],
  fairness: FairnessRun[],
  options: Measurements['options'],
): Section {
  const section: Section = { figures: [], notes: [] };
  for (const connections of [...new Set(runs.map((run) => run.connections))]) {
    const at = runs.filter((run) => run.connections === connections);
    const method = {
      tool: PROBE,
      target:
        'one replica without the loop: directly, through the lab’s nginx, through a bare nginx; ' +
        'each repetition starts with another',
      durationSeconds: options.latencyDuration,
      connections,
      repetitions: options.repetitions,
    };
    const ms = (pick: (run: ProxyRun) => number) => round(median(at.map(pick)), 3);
    const note =
      `medians: p50 ${ms((run) => run.direct.p50Ms)} ms direct, ${ms((run) => run.nginx.p50Ms)} ms through nginx, ` +
      `${ms((run) => run.bare.p50Ms)} ms through a bare nginx; p99 ${ms((run) => run.direct.p99Ms)} ms direct, ` +
      `${ms((run) => run.nginx.p99Ms)} ms through nginx, ${ms((run) => run.bare.p99Ms)} ms through a bare nginx`;
    const suffix = plural(connections, 'connection', 'connections');
    const added = (path: 'nginx' | 'bare', p: 'p50Ms' | 'p99Ms') =>
      at.map((run) => run[path][p] - run.direct[p]);
    const nginxP50 = added('nginx', 'p50Ms');
    const bareP50 = added('bare', 'p50Ms');
    const overBare = at.map((run) => run.nginx.p50Ms - run.bare.p50Ms);
    section.figures.push(
      figure({
        id: `proxy-p50-added-${connections}`,
        item: 'proxyLatency',
        name: `nginx’s added latency, p50, ${suffix}`,
        unit: 'ms',
        samples: nginxP50,
        method,
        target: TARGETS.proxyAddedP50,
        note,
      }),
      figure({
        id: `proxy-p99-added-${connections}`,
        item: 'proxyLatency',
        name: `nginx’s added latency, p99, ${suffix}`,
        unit: 'ms',
        samples: added('nginx', 'p99Ms'),
        method,
        note,
      }),
      figure({
        id: `bare-p50-added-${connections}`,
        item: 'proxyLatency',
        name: `… a bare nginx’s added latency, p50, ${suffix} (perf/nginx-bare.conf)`,
        unit: 'ms',
        samples: bareP50,
        method,
      }),
      figure({
        id: `proxy-p50-over-bare-${connections}`,
        item: 'proxyLatency',
        name: `… the lab’s nginx against the bare one, p50, ${suffix}`,
        unit: 'ms',
        samples: overBare,
        method,
      }),
    );
    section.notes.push(
      `${itemLabel('proxyLatency')}, ${suffix}: at p50 the lab’s nginx added ${round(median(nginxP50), 3)} ms ` +
        `and a bare nginx ${round(median(bareP50), 3)} ms in the same run: the lab’s ` +
        `configuration cost ${round(median(overBare), 3)} ms of it, any nginx on this machine the rest.`,
    );
  }
  // The keep-alive check: counted from the round-robin runs, reported beside the proxy's latency.
  section.figures.push(
    figure({
      id: 'new-connections-per-1000',
      item: 'proxyLatency',
      name: 'New connections to the replicas per 1000 requests through nginx',
      unit: 'per 1000',
      samples: fairness.map((run) =>
        run.requests > 0 ? (run.newConnections / run.requests) * 1000 : Number.NaN,
      ),
      method: {
        tool: `${LOADGEN}; http_connections_total of each replica before and after`,
        target: `nginx to ${options.replicas} replicas without the loop`,
        durationSeconds: null,
        connections: options.connections,
        repetitions: options.repetitions,
        requests: options.fairnessRequests,
      },
      target: TARGETS.newConnectionsPer1000,
    }),
  );
  return section;
}
