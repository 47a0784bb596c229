import { parseMachineCpu, parseProcStat } from '@hello-lab/shared/cpu-time';
import { describe, expect, it } from 'vitest';
import {
  cgroupCpuOf,
  ParseError,
  parseCgroupCpu,
  parseCounter,
  parseDockerTop,
  parseLoadResult,
  parseShellTimes,
  parseWrk,
  serverPid,
} from '../src/parse.js';

const WRK = `Running 10s test @ http://127.0.0.1:40123/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   710.12us  120.33us   5.12ms   92.11%
    Req/Sec    70.41k     2.10k   74.02k    78.00%
  700612 requests in 10.00s, 80.18MB read
Requests/sec:  70055.87
Transfer/sec:      8.02MB
`;

describe('parseWrk', () => {
  it('reads requests per second, the count and the duration', () => {
    expect(parseWrk(WRK)).toEqual({ requestsPerSecond: 70055.87, requests: 700612, seconds: 10, errors: 0 });
  });

  it('counts socket errors and answers other than 2xx or 3xx as errors', () => {
    const failing = WRK.replace(
      'Requests/sec:',
      '  Socket errors: connect 1, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 4\nRequests/sec:',
    );
    expect(parseWrk(failing).errors).toBe(10);
  });

  it('reads a duration in minutes', () => {
    expect(parseWrk(WRK.replace('in 10.00s', 'in 1.00m')).seconds).toBe(60);
  });

  it('refuses output without a summary, naming its last line', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrowError(
      /wrk printed no summary: unable to connect/,
    );
  });
});

describe('parseShellTimes', () => {
  it("reads the CPU time of what the shell ran: the last line of bash's times, user plus system", () => {
    expect(parseShellTimes(`${WRK}0m0.002s 0m0.001s\n0m2.345s 1m5.500s\n`)).toBeCloseTo(67.845);
  });

  it('refuses output that does not end with it, naming the last line', () => {
    expect(() => parseShellTimes(WRK)).toThrowError(/not the output of bash's times: Transfer\/sec/);
  });
});

describe('parseProcStat', () => {
  it.each([
    ['1234 (node) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 11 0', 3.8],
    ['99 (my server (v2)) R 1 99 99 0 -1 0 0 0 0 0 1000 0 0 0 20 0 1 0', 10],
  ])('%s -> %d CPU seconds', (line, seconds) => {
    expect(parseProcStat(line, 100)).toBeCloseTo(seconds);
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseProcStat('nonsense', 100)).toThrow(ParseError);
  });
});

describe('parseMachineCpu', () => {
  it('counts user, nice, system, irq, softirq and steal as busy, idle and iowait as not', () => {
    const stat = 'cpu  100 10 50 800 40 5 5 2 0 0\ncpu0 50 5 25 400 20 2 2 1 0 0\n';
    expect(parseMachineCpu(stat, 100)).toEqual({ busy: 1.72, total: 10.12 });
  });
});

describe('cgroupCpuOf', () => {
  it.each([
    [
      'cgroup v1 (hybrid), cpuacct alone',
      '12:pids:/docker/abc\n4:cpuacct:/docker/abc\n3:cpu:/docker/abc\n0::/docker/abc\n',
      { file: '/sys/fs/cgroup/cpuacct/docker/abc/cpuacct.usage', kind: 'cpuacct.usage' },
    ],
    [
      'cgroup v1, cpu and cpuacct together',
      '5:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n',
      { file: '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpuacct.usage', kind: 'cpuacct.usage' },
    ],
    [
      'cgroup v2',
      '0::/system.slice/docker-abc.scope\n',
      { file: '/sys/fs/cgroup/system.slice/docker-abc.scope/cpu.stat', kind: 'cpu.stat' },
    ],
  ])('%s', (_, text, expected) => {
    expect(cgroupCpuOf(text)).toEqual(expected);
  });

  it('refuses a file with neither', () => {
    expect(() => cgroupCpuOf('1:name=systemd:/\n')).toThrow(ParseError);
  });
});

describe('parseCgroupCpu', () => {
  it.each([
    ['2500000000\n', 'cpuacct.usage', 2.5],
    ['usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n', 'cpu.stat', 1.5],
  ] as const)('%j as %s -> %d s', (text, kind, seconds) => {
    expect(parseCgroupCpu(text, kind)).toBe(seconds);
  });
});

describe('parseDockerTop and serverPid', () => {
  const top = `PID                 COMMAND
4101                /sbin/docker-init -- node --enable-source-maps services/hello/dist/server.js
4150                node --enable-source-maps services/hello/dist/server.js
4188                node services/hello/dist/healthcheck.js
`;

  it('lists the processes', () => {
    expect(parseDockerTop(top).map(({ pid }) => pid)).toEqual([4101, 4150, 4188]);
  });

  it.each([
    ['server.js', 4150],
    ['healthcheck.js', 4188],
  ])('finds the node process running %s, not the init before it', (script, pid) => {
    expect(serverPid(parseDockerTop(top), script)).toBe(pid);
  });

  it('says when there is none', () => {
    expect(() => serverPid(parseDockerTop(top), 'seed-server.js')).toThrowError(
      /no node process running seed-server.js/,
    );
  });
});

describe('parseCounter', () => {
  const metrics =
    '# HELP http_connections_total TCP connections accepted.\n# TYPE http_connections_total counter\nhttp_connections_total 42\n';

  it('reads an unlabelled counter', () => {
    expect(parseCounter(metrics, 'http_connections_total')).toBe(42);
  });

  it('says when it is missing', () => {
    expect(() => parseCounter(metrics, 'nope_total')).toThrowError(/no nope_total/);
  });
});

describe('parseLoadResult', () => {
  const result = {
    throughputRps: 240.5,
    durationSeconds: 10.002,
    requests: { total: 2405, ok: 2405, non2xx: 0, errors: 1, timeouts: 2 },
    loadgenCores: 0.061,
    cpuMs: { mean: 4.1, count: 2405 },
    workMs: { mean: 4.3, count: 2405 },
    hostnames: { a: 1203, b: 1202 },
    latencyMs: { p50: 41.2, p99: 80.5, max: 120 },
    model: { capacityRps: 251.3 },
    openLoop: null,
  };

  it('reads what the job uses from the load generator\u2019s JSON', () => {
    expect(parseLoadResult(JSON.stringify(result))).toEqual({
      throughputRps: 240.5,
      requests: 2405,
      errors: 3,
      seconds: 10.002,
      loadgenCores: 0.061,
      cpuMs: 4.1,
      workMs: 4.3,
      hostnames: { a: 1203, b: 1202 },
      p50Ms: 41.2,
      p99Ms: 80.5,
      modelCapacityRps: 251.3,
      openLoop: null,
    });
  });

  it('reads an open loop’s latency from the actual send and its late sends', () => {
    const openLoop = { sentLatencyMs: { p50: 4, p99: 9.5 }, scheduled: 2000, late: 12, rate: 200 };
    expect(parseLoadResult(JSON.stringify({ ...result, openLoop })).openLoop).toEqual({
      sentP99Ms: 9.5,
      scheduled: 2000,
      late: 12,
    });
  });

  it('reads a model without a capacity as null', () => {
    const parsed = parseLoadResult(JSON.stringify({ ...result, model: { capacityRps: null } }));
    expect(parsed.modelCapacityRps).toBeNull();
  });

  it('reads answers without Server-Timing as null times', () => {
    const parsed = parseLoadResult(
      JSON.stringify({ ...result, cpuMs: { mean: null, count: 0 }, workMs: undefined }),
    );
    expect(parsed).toMatchObject({ cpuMs: null, workMs: null });
  });

  it.each(['loadgen: cannot reach http://x/', '{"options":{}}'])('refuses %j', (stdout) => {
    expect(() => parseLoadResult(stdout)).toThrow(ParseError);
  });
});
