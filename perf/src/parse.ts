// Pure readers of what the tools and the kernel print. Each takes text and returns numbers, or
// throws a one-line error naming what it could not read.
import { ParseError } from '@hello-lab/shared/cpu-time';

// One ParseError for these readers and the shared /proc ones; measure.ts takes parseProcStat here.
export { ParseError, parseProcStat } from '@hello-lab/shared/cpu-time';

/**
 * wrk's summary: "Requests/sec: 12345.67" and "123456 requests in 10.00s, ...", and the failures
 * it reports apart: "Socket errors: connect 0, read 2, write 0, timeout 1" and
 * "Non-2xx or 3xx responses: 5" (each line only when there were some).
 */
export function parseWrk(stdout: string): {
  requestsPerSecond: number;
  requests: number;
  seconds: number;
  errors: number;
} {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(stdout);
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)\b/m.exec(stdout);
  if (!rps || !total)
    throw new ParseError(`wrk printed no summary: ${stdout.trim().split('\n').at(-1) ?? ''}`);
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[total[3] as 'us' | 'ms' | 's' | 'm'];
  const socket = /^\s*Socket errors: (.*)$/m.exec(stdout)?.[1] ?? '';
  const socketErrors = [...socket.matchAll(/\d+/g)].reduce((sum, [n]) => sum + Number(n), 0);
  const non2xx = Number(/^\s*Non-2xx or 3xx responses: (\d+)/m.exec(stdout)?.[1] ?? 0);
  return {
    requestsPerSecond: Number(rps[1]),
    requests: Number(total[1]),
    seconds: Number(total[2]) * unit,
    errors: socketErrors + non2xx,
  };
}

/**
 * CPU seconds (user + system) of the commands a shell ran, from the last line that bash's `times`
 * prints: its children's user and system time, as in "0m2.345s 0m5.678s".
 */
export function parseShellTimes(stdout: string): number {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const times = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(last.trim());
  if (!times) throw new ParseError(`not the output of bash's times: ${last.slice(0, 80)}`);
  const [, userMinutes, userSeconds, systemMinutes, systemSeconds] = times.map(Number) as number[];
  return (userMinutes ?? 0) * 60 + (userSeconds ?? 0) + (systemMinutes ?? 0) * 60 + (systemSeconds ?? 0);
}

/** Where a process's cgroup keeps its CPU time, and in what unit, from /proc/<pid>/cgroup. */
export interface CgroupCpu {
  file: string;
  /** cgroup v1 cpuacct.usage counts nanoseconds; v2 cpu.stat has a line usage_usec. */
  kind: 'cpuacct.usage' | 'cpu.stat';
}

/**
 * cgroup v1 (or hybrid) has a line "N:cpuacct,cpu:/docker/<id>" (controller lists vary); v2 has
 * "0::/system.slice/docker-<id>.scope". `root` is where the hierarchy is mounted, /sys/fs/cgroup.
 */
export function cgroupCpuOf(procCgroup: string, root = '/sys/fs/cgroup'): CgroupCpu {
  const lines = procCgroup.trim().split('\n');
  for (const line of lines) {
    const [, controllers = '', path = ''] = line.split(':');
    if (controllers.split(',').includes('cpuacct')) {
      return {
        file: `${root}/${controllers}${path === '/' ? '' : path}/cpuacct.usage`,
        kind: 'cpuacct.usage',
      };
    }
  }
  const unified = lines.find((line) => line.startsWith('0::'));
  if (unified)
    return { file: `${root}${unified.slice(3) === '/' ? '' : unified.slice(3)}/cpu.stat`, kind: 'cpu.stat' };
  throw new ParseError('no cpuacct or unified cgroup line in /proc/<pid>/cgroup');
}

/** CPU seconds from a cgroup's file of that kind. */
export function parseCgroupCpu(text: string, kind: CgroupCpu['kind']): number {
  if (kind === 'cpuacct.usage') {
    const ns = Number(text.trim());
    if (!Number.isFinite(ns)) throw new ParseError('cpuacct.usage holds no number');
    return ns / 1e9;
  }
  const usage = /^usage_usec (\d+)$/m.exec(text);
  if (!usage) throw new ParseError('cpu.stat has no usage_usec line');
  return Number(usage[1]) / 1e6;
}

/** `docker top <container> -o pid,args`: the process ids and command lines, heading left out. */
export function parseDockerTop(stdout: string): { pid: number; args: string }[] {
  return stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2] as string }));
}

/** The server's own process among them: the one running Node with `script`, not the init before it. */
export function serverPid(processes: { pid: number; args: string }[], script: string): number {
  const found = processes.find(({ args }) => /^(\S*\/)?node\s/.test(args) && args.includes(script));
  if (!found) throw new ParseError(`no node process running ${script}`);
  return found.pid;
}

/** The value of an unlabelled counter in Prometheus text, such as http_connections_total. */
export function parseCounter(metrics: string, name: string): number {
  const match = new RegExp(`^${name} ([\\d.e+]+)$`, 'm').exec(metrics);
  if (!match) throw new ParseError(`no ${name} in the metrics`);
  return Number(match[1]);
}

/** What the job reads from the load generator's --json result (services/loadgen, BenchResult). */
export interface LoadResult {
  throughputRps: number;
  requests: number;
  errors: number;
  seconds: number;
  loadgenCores: number;
  /** Mean CPU and wall time of the busy loop per answer, from Server-Timing; null without it. */
  cpuMs: number | null;
  workMs: number | null;
  hostnames: Record<string, number>;
  /** Latency percentiles in ms: from each request's intended start in an open loop. */
  p50Ms: number;
  p99Ms: number;
  /** The load generator's own model: min(replicas, free cores) / S, or null when it had no S. */
  modelCapacityRps: number | null;
  /** What only an open loop reports; null for a closed loop. */
  openLoop: { sentP99Ms: number; scheduled: number; late: number } | null;
}

export function parseLoadResult(stdout: string): LoadResult {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(stdout);
  } catch {
    throw new ParseError(`the load generator printed no JSON: ${stdout.trim().slice(0, 200)}`);
  }
  const requests = raw.requests as { total?: number; errors?: number; timeouts?: number } | undefined;
  const mean = (field: string) => (raw[field] as { mean?: number | null } | undefined)?.mean ?? null;
  const latency = raw.latencyMs as { p50?: number; p99?: number } | undefined;
  const openLoop = raw.openLoop as
    | { sentLatencyMs?: { p99?: number }; scheduled?: number; late?: number }
    | null
    | undefined;
  const result: LoadResult = {
    throughputRps: Number(raw.throughputRps),
    requests: Number(requests?.total),
    errors: Number(requests?.errors ?? 0) + Number(requests?.timeouts ?? 0),
    seconds: Number(raw.durationSeconds),
    loadgenCores: Number(raw.loadgenCores),
    cpuMs: mean('cpuMs'),
    workMs: mean('workMs'),
    hostnames: (raw.hostnames as Record<string, number> | undefined) ?? {},
    p50Ms: Number(latency?.p50),
    p99Ms: Number(latency?.p99),
    modelCapacityRps: (raw.model as { capacityRps?: number | null } | undefined)?.capacityRps ?? null,
    openLoop: openLoop
      ? {
          sentP99Ms: Number(openLoop.sentLatencyMs?.p99),
          scheduled: Number(openLoop.scheduled),
          late: Number(openLoop.late),
        }
      : null,
  };
  if (!Number.isFinite(result.throughputRps) || !Number.isFinite(result.requests)) {
    throw new ParseError('the load generator result has no throughputRps or requests.total');
  }
  return result;
}
