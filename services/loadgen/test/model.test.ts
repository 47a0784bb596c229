import { describe, expect, it } from 'vitest';
import { type Model, type ModelInput, modelRun } from '../src/model.js';

const CAVEAT =
  'More replicas than free cores: each work time also counts waiting for a core, so S can run long and the capacity low.';

// Two replicas on four cores, 5 ms of CPU each: capacity 2 / 0.005 s = 400 req/s.
const twoOnFour: ModelInput = {
  workMs: 5.5,
  cpuMs: 5,
  replicas: 2,
  cores: 4,
  loadgenCores: 0.1,
  proxyCores: 0.1,
  otherCores: 0,
  inFlight: 10,
  rate: null,
  throughputRps: 390,
  latencyMeanMs: 25,
};
const twoOnFourModel = {
  serviceTimeMs: 5,
  serviceTimeFrom: 'cpu' as const,
  replicas: 2,
  cores: 4,
  overheadCores: 0.2,
  otherCores: 0,
  effectiveCores: 3.8,
  capacityRps: 400,
  caveat: null,
};

// Three replicas on two cores, 1.5 left: S of 5 ms gives 300 req/s.
const threeOnTwo: ModelInput = {
  workMs: 5,
  cpuMs: null,
  replicas: 3,
  cores: 2,
  loadgenCores: 0.25,
  proxyCores: 0.25,
  otherCores: 0,
  inFlight: 30,
  rate: null,
  throughputRps: 290,
  latencyMeanMs: 100,
};
const threeOnTwoModel: Model = {
  serviceTimeMs: 5,
  serviceTimeFrom: 'work',
  replicas: 3,
  cores: 2,
  overheadCores: 0.5,
  otherCores: 0,
  effectiveCores: 1.5,
  capacityRps: 300, // 1.5 cores / 0.005 s
  predictedLatencyMs: 103.448, // 30 in flight / 290 req/s
  predictedFrom: "Little's law",
  throughputRatio: 0.967,
  latencyRatio: 0.967,
  limit: 'cores',
  explanation:
    'Cores: 3 replicas share the 1.5 cores left after the load generator and the proxy; more replicas would not add capacity, more cores would.',
  caveat: CAVEAT,
};

/** What the model says when no core is left for the replicas. */
const NO_CAPACITY = {
  capacityRps: null,
  predictedLatencyMs: null,
  predictedFrom: null,
  throughputRatio: null,
  latencyRatio: null,
} as const;

describe('modelRun', () => {
  it.each<{ name: string; input: ModelInput; expected: Model }>([
    {
      name: 'more replicas than cores: cores limit, S from CPU time, so no caveat',
      input: { ...threeOnTwo, workMs: 8, cpuMs: 5 },
      expected: { ...threeOnTwoModel, serviceTimeFrom: 'cpu', caveat: null },
    },
    {
      name: 'more replicas than cores, wall time only: S from work, with the caveat',
      input: threeOnTwo,
      expected: threeOnTwoModel,
    },
    {
      name: 'wall time only with cores to spare: S from work, no caveat',
      input: { ...twoOnFour, cpuMs: null, throughputRps: 350 },
      expected: {
        ...twoOnFourModel,
        serviceTimeMs: 5.5,
        serviceTimeFrom: 'work',
        capacityRps: 363.64, // 2 replicas / 0.0055 s
        predictedLatencyMs: 28.571, // 10 / 350 req/s
        predictedFrom: "Little's law",
        throughputRatio: 0.962,
        latencyRatio: 0.875,
        limit: 'replicas',
        explanation:
          'Replicas: 2 replicas can use at most 2 cores of the 3.8 cores left for them; another replica would add capacity.',
      },
    },
    {
      name: 'one replica with cores to spare: replicas limit',
      input: {
        workMs: 4.5,
        cpuMs: 4,
        replicas: 1,
        cores: 4,
        loadgenCores: 0.5,
        proxyCores: 0,
        otherCores: 0,
        inFlight: 10,
        rate: null,
        throughputRps: 245,
        latencyMeanMs: 40,
      },
      expected: {
        serviceTimeMs: 4,
        serviceTimeFrom: 'cpu',
        replicas: 1,
        cores: 4,
        overheadCores: 0.5,
        otherCores: 0,
        effectiveCores: 3.5,
        capacityRps: 250, // 1 replica / 0.004 s
        predictedLatencyMs: 40.816, // 10 / 245 req/s
        predictedFrom: "Little's law",
        throughputRatio: 0.98,
        latencyRatio: 0.98,
        limit: 'replicas',
        explanation:
          'Replicas: 1 replica can use at most 1 core of the 3.5 cores left for them; another replica would add capacity.',
        caveat: null,
      },
    },
    {
      name: 'the load generator uses most of its core',
      input: {
        workMs: 2,
        cpuMs: 2,
        replicas: 4,
        cores: 8,
        loadgenCores: 0.9,
        proxyCores: 0.1,
        otherCores: 0,
        inFlight: 100,
        rate: null,
        throughputRps: 1500,
        latencyMeanMs: 70,
      },
      expected: {
        serviceTimeMs: 2,
        serviceTimeFrom: 'cpu',
        replicas: 4,
        cores: 8,
        overheadCores: 1,
        otherCores: 0,
        effectiveCores: 7,
        capacityRps: 2000,
        predictedLatencyMs: 66.667, // 100 / 1500 req/s
        predictedFrom: "Little's law",
        throughputRatio: 0.75,
        latencyRatio: 1.05,
        limit: 'load generator',
        explanation:
          'The load generator itself: it kept 90% of its one core busy, so it could not send faster.',
        caveat: null,
      },
    },
    {
      name: 'one connection for two replicas: the load generator sends too little',
      input: { ...twoOnFour, inFlight: 1, throughputRps: 190, latencyMeanMs: 5.2 },
      expected: {
        ...twoOnFourModel,
        predictedLatencyMs: 5.263, // 1 / 190 req/s
        predictedFrom: "Little's law",
        throughputRatio: 0.475,
        latencyRatio: 0.988,
        limit: 'load generator',
        explanation: 'The load generator: 1 request in flight cannot keep 2 replicas busy; add connections.',
      },
    },
    {
      name: 'open loop below capacity, one connection: no queue, latency is S',
      input: { ...twoOnFour, inFlight: 1, rate: 100, throughputRps: 100, latencyMeanMs: 6 },
      expected: {
        ...twoOnFourModel,
        predictedLatencyMs: 5, // max(5 ms, 1 / 400 req/s)
        predictedFrom: 'service time',
        throughputRatio: 0.25,
        latencyRatio: 1.2,
        limit: 'request rate',
        explanation:
          'The fixed rate: 100 req/s is below the capacity of 400 req/s, so the replicas are not saturated.',
      },
    },
    {
      name: 'open loop below capacity, ten connections, evenly spaced: no queue, latency is S',
      input: { ...twoOnFour, rate: 100, arrivals: 'constant', throughputRps: 100, latencyMeanMs: 6 },
      expected: {
        ...twoOnFourModel,
        predictedLatencyMs: 5, // D/D/2 below capacity: nobody waits
        predictedFrom: 'service time',
        throughputRatio: 0.25,
        latencyRatio: 1.2,
        limit: 'request rate',
        explanation:
          'The fixed rate: 100 req/s is below the capacity of 400 req/s, so the replicas are not saturated.',
      },
    },
    {
      name: 'open loop below capacity, Poisson arrivals: S plus the M/D/c wait',
      input: { ...twoOnFour, rate: 200, arrivals: 'poisson', throughputRps: 200, latencyMeanMs: 6 },
      expected: {
        ...twoOnFourModel,
        // a = 200 x 5 ms = 1 on 2 servers: C = 1/3, M/M/2 wait = (1/3) / (400 - 200) s = 1.667 ms; half
        predictedLatencyMs: 5.833,
        predictedFrom: 'M/D/c queue',
        throughputRatio: 0.5,
        latencyRatio: 1.029,
        limit: 'request rate',
        explanation:
          'The fixed rate: 200 req/s is below the capacity of 400 req/s, so the replicas are not saturated.',
      },
    },
    {
      name: "open loop above capacity: Little's law at capacity",
      input: { ...twoOnFour, rate: 1000, throughputRps: 410, latencyMeanMs: 25 },
      expected: {
        ...twoOnFourModel,
        predictedLatencyMs: 25, // 10 / min(400, 410) req/s
        predictedFrom: "Little's law",
        throughputRatio: 1.025,
        latencyRatio: 1,
        limit: 'replicas',
        explanation:
          'Replicas: 2 replicas can use at most 2 cores of the 3.8 cores left for them; another replica would add capacity.',
      },
    },
    {
      name: 'far below capacity with many connections: outside the model',
      input: { ...twoOnFour, inFlight: 50, throughputRps: 100, latencyMeanMs: 480 },
      expected: {
        ...twoOnFourModel,
        predictedLatencyMs: 500,
        predictedFrom: "Little's law",
        throughputRatio: 0.25,
        latencyRatio: 0.96,
        limit: 'outside the model',
        explanation:
          'Something outside the model: throughput is 25% of capacity with 50 requests in flight; look at errors, the proxy and container CPU limits.',
      },
    },
    {
      name: 'no Server-Timing',
      input: { ...twoOnFour, workMs: null, cpuMs: null },
      expected: {
        ...twoOnFourModel,
        serviceTimeMs: null,
        serviceTimeFrom: null,
        ...NO_CAPACITY,
        limit: 'unknown',
        explanation:
          'Unknown: no answer carried a Server-Timing work time greater than 0, so the model has nothing to work from.',
      },
    },
    {
      name: 'a cpu time of 0: nothing to work from, even with a work time',
      input: { ...twoOnFour, cpuMs: 0 },
      expected: {
        ...twoOnFourModel,
        serviceTimeMs: 0,
        ...NO_CAPACITY,
        limit: 'unknown',
        explanation:
          'Unknown: no answer carried a Server-Timing cpu time greater than 0, so the model has nothing to work from.',
      },
    },
    {
      name: 'no X-Hostname',
      input: { ...twoOnFour, replicas: 0 },
      expected: {
        ...twoOnFourModel,
        replicas: 0,
        ...NO_CAPACITY,
        limit: 'unknown',
        explanation:
          'Unknown: no answer carried an X-Hostname header, so the model has nothing to work from.',
      },
    },
    {
      name: 'no cores left for the replicas',
      input: { ...twoOnFour, cores: 1, loadgenCores: 0.95, proxyCores: 0.1 },
      expected: {
        ...twoOnFourModel,
        cores: 1,
        overheadCores: 1.05,
        effectiveCores: -0.05,
        ...NO_CAPACITY,
        limit: 'load generator',
        explanation: 'The load generator and the proxy take all 1 core, leaving none for the replicas.',
      },
    },
    {
      name: 'other work on the machine: fewer cores left, and the cores sentence names it',
      input: { ...threeOnTwo, workMs: 8, cpuMs: 5, otherCores: 0.5, throughputRps: 195, latencyMeanMs: 150 },
      expected: {
        ...threeOnTwoModel,
        serviceTimeFrom: 'cpu',
        overheadCores: 1,
        otherCores: 0.5,
        effectiveCores: 1, // 2 - 0.25 - 0.25 - 0.5
        capacityRps: 200, // 1 core / 0.005 s
        predictedLatencyMs: 153.846, // 30 in flight / 195 req/s
        throughputRatio: 0.975,
        latencyRatio: 0.975,
        explanation:
          'Cores: 3 replicas share the 1 core left after the load generator, the proxy and 0.5 cores of other work on the machine; more replicas would not add capacity, more cores would.',
        caveat: null,
      },
    },
    {
      name: 'other work takes the cores the load generator and the proxy left: the cores limit',
      input: { ...twoOnFour, cores: 1, loadgenCores: 0.3, proxyCores: 0.1, otherCores: 0.75 },
      expected: {
        ...twoOnFourModel,
        cores: 1,
        overheadCores: 1.15,
        otherCores: 0.75,
        effectiveCores: -0.15,
        ...NO_CAPACITY,
        limit: 'cores',
        explanation:
          'Cores: the load generator, the proxy and 0.75 cores of other work on the machine take all 1 core, leaving none for the replicas.',
      },
    },
    {
      name: 'the load generator and the proxy take all the cores, other work besides',
      input: { ...twoOnFour, cores: 1, loadgenCores: 0.95, proxyCores: 0.1, otherCores: 0.2 },
      expected: {
        ...twoOnFourModel,
        cores: 1,
        overheadCores: 1.25,
        otherCores: 0.2,
        effectiveCores: -0.25,
        ...NO_CAPACITY,
        limit: 'load generator',
        explanation:
          'The load generator, the proxy and 0.2 cores of other work on the machine take all 1 core, leaving none for the replicas.',
      },
    },
  ])('$name', ({ input, expected }) => {
    expect(modelRun(input)).toEqual(expected);
  });
});

describe('the service time S', () => {
  // Three replicas on 1.5 free cores: the wall time counts waits for a core, the CPU time does not.
  it.each<{
    workMs: number | null;
    cpuMs: number | null;
    S: number | null;
    from: Model['serviceTimeFrom'];
    caveat: boolean;
  }>([
    { workMs: 8, cpuMs: 5, S: 5, from: 'cpu', caveat: false },
    { workMs: 4, cpuMs: 5, S: 5, from: 'cpu', caveat: false },
    { workMs: null, cpuMs: 5, S: 5, from: 'cpu', caveat: false },
    { workMs: 8, cpuMs: null, S: 8, from: 'work', caveat: true },
    { workMs: null, cpuMs: null, S: null, from: null, caveat: false },
  ])('work $workMs ms, cpu $cpuMs ms: S = $S ms from $from', ({ workMs, cpuMs, S, from, caveat }) => {
    const model = modelRun({ ...threeOnTwo, workMs, cpuMs });
    expect(model.serviceTimeMs).toBe(S);
    expect(model.serviceTimeFrom).toBe(from);
    expect(model.caveat).toBe(caveat ? CAVEAT : null);
    if (S !== null) expect(model.capacityRps).toBeCloseTo(1.5 / (S / 1000), 1);
  });
});

describe('other work on the machine', () => {
  // Three replicas on two cores, 0.5 taken by this tool and the proxy, S = 5 ms of CPU.
  const cpuOnly = { ...threeOnTwo, workMs: null, cpuMs: 5 };

  it('lowers the capacity by what it takes: (1.5 - other) / S', () => {
    const capacities = [0, 0.25, 0.5, 1, 1.4].map((otherCores) => {
      const model = modelRun({ ...cpuOnly, otherCores });
      expect(model.effectiveCores).toBeCloseTo(1.5 - otherCores, 3);
      expect(model.overheadCores).toBeCloseTo(0.5 + otherCores, 3);
      expect(model.otherCores).toBe(otherCores);
      expect(model.capacityRps).toBeCloseTo((1.5 - otherCores) / 0.005, 1);
      return model.capacityRps ?? Number.NaN;
    });
    for (let i = 1; i < capacities.length; i++) {
      expect(capacities[i]).toBeLessThan(capacities[i - 1] ?? Number.NaN);
    }
  });

  it('leaves the sentences as they were when there is none, or less than the model keeps', () => {
    for (const otherCores of [0, 0.0004]) {
      const model = modelRun({ ...cpuOnly, otherCores });
      expect(model.otherCores).toBe(0);
      expect(model.explanation).toBe(threeOnTwoModel.explanation);
    }
    expect(modelRun({ ...twoOnFour, cores: 1, loadgenCores: 0.95, otherCores: 0 }).explanation).toBe(
      'The load generator and the proxy take all 1 core, leaving none for the replicas.',
    );
  });
});
