// One lab, three orchestrators: compose.yaml, the swarm stack and the Kubernetes manifests must
// agree with each other and with the service itself on what they share. Set once, checked here.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../services/hello/src/app.js';
import { loadConfig } from '../../services/hello/src/config.js';
import { DEFAULT_PORT, NODE_FLAGS, READY_PATH } from '../../services/hello/src/defaults.js';
import {
  type ComposeService,
  clusterOverlay,
  compose,
  dotEnv,
  find,
  k8sFiles,
  kustomization,
  prometheusConfig,
  readText,
  stack,
} from './manifests.js';

const composed = compose().services;
const stacked = stack().services;
const k8s = k8sFiles().flatMap(({ objects }) => objects);
const env = dotEnv();
const defaults = loadConfig({});

const helloPod = find(k8s, 'Deployment', 'hello-web').spec.template.spec;
const helloContainer = helloPod.containers[0];
const nginxPod = find(k8s, 'Deployment', 'nginx').spec.template.spec;
const nginxContainer = nginxPod.containers[0];
const nginxConf = readText('nginx/nginx.conf');
const prometheusPod = find(k8s, 'Deployment', 'prometheus').spec.template.spec;
const prometheusContainer = prometheusPod.containers[0];
const scrapeConfig = prometheusConfig();

/** Bytes from Docker's 128M and Kubernetes' 128Mi, which are the same amount. */
function bytes(quantity: string): number {
  const match = /^(\d+)(M|Mi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * 2 ** 20;
}

/** Milliseconds from compose's "10s". */
function ms(duration: string | undefined): number {
  const match = /^(\d+)s$/.exec(duration ?? '');
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * 1000;
}

const variable = (container: { env?: { name: string; value: string }[] }, name: string) =>
  container.env?.find((entry) => entry.name === name)?.value;

describe('compose, swarm and Kubernetes agree', () => {
  it('on the images and the version', () => {
    expect(env.APP_VERSION).toBe(defaults.APP_VERSION);
    expect(readText('services/Dockerfile')).toContain(`ARG APP_VERSION=${env.APP_VERSION}\n`);
    expect(composed.hello?.image).toBe(`hello-web:v\${APP_VERSION:-${env.APP_VERSION}}`);
    expect(stacked.hello?.image).toBe(composed.hello?.image);
    expect(helloContainer.image).toBe(`hello-web:v${env.APP_VERSION}`);
    expect(stacked.nginx?.image).toBe(composed.nginx?.image);
    expect(nginxContainer.image).toBe(composed.nginx?.image);
    expect(stacked.prometheus?.image).toBe(composed.prometheus?.image);
    expect(prometheusContainer.image).toBe(composed.prometheus?.image);
  });

  it("on Prometheus' base image: one official default, which CI tries before its stand-in", () => {
    const official = /^ARG PROMETHEUS_IMAGE=(prom\/prometheus:v3\.\d+\.\d+)$/m.exec(
      readText('prometheus/Dockerfile'),
    )?.[1];
    expect(official).toBeDefined();
    expect(readText('Makefile')).toContain(`\nPROMETHEUS_IMAGE ?= ${official}\n`);
    expect(readText('compose.yaml')).toContain(`PROMETHEUS_IMAGE: \${PROMETHEUS_IMAGE:-${official}}\n`);
    expect(readText('.ci/run')).toMatch(
      new RegExp(`official_images_available [^;]* ${official?.replaceAll('.', '\\.')};`),
    );
    expect(readText('.ci/run')).toContain(' PROMETHEUS_IMAGE=standin/prometheus:3"');
    expect(readText('scripts/setup/standin-images.sh')).toContain(
      '\nPROMETHEUS_IMAGE=standin/prometheus:3\n',
    );
  });

  it("on the port: the service's default, nginx's upstream and what nginx publishes", () => {
    expect(DEFAULT_PORT).toBe(8080);
    expect(composed.hello?.expose).toEqual([String(DEFAULT_PORT)]);
    expect(nginxConf).toMatch(new RegExp(`\\n\\s*server hello:${DEFAULT_PORT} `));
    expect(helloContainer.ports).toEqual([{ name: 'http', containerPort: DEFAULT_PORT }]);
    expect(find(k8s, 'Service', 'hello').spec.ports[0].port).toBe(DEFAULT_PORT);

    // nginx listens on 8080; the lab is reached on 8080 everywhere unless told otherwise.
    expect(nginxConf).toMatch(/\n\s*listen 8080 /);
    expect(composed.nginx?.ports).toEqual([`\${HTTP_BIND:-127.0.0.1}:\${HTTP_PORT:-${env.HTTP_PORT}}:8080`]);
    expect(stacked.nginx?.ports).toEqual([
      { target: 8080, published: `\${SWARM_HTTP_PORT:-${env.HTTP_PORT}}`, protocol: 'tcp', mode: 'host' },
    ]);
    expect(readText('mk/swarm.mk')).toContain(`SWARM_HTTP_PORT ?= ${env.HTTP_PORT}\n`);
    expect(nginxContainer.ports[0]).toEqual({ name: 'http', containerPort: 8080 });
    expect(find(k8s, 'Service', 'hello-web').spec).toMatchObject({
      type: 'LoadBalancer',
      selector: find(k8s, 'Deployment', 'nginx').spec.selector.matchLabels,
      ports: [{ port: Number(env.HTTP_PORT), targetPort: 'http' }],
    });
  });

  it("on the replicas' name, which nginx resolves: hello", () => {
    expect(Object.keys(composed)).toContain('hello');
    expect(Object.keys(stacked)).toEqual(['hello', 'nginx', 'prometheus']);
    const headless = find(k8s, 'Service', 'hello').spec;
    expect(headless.clusterIP).toBe('None');
    expect(headless.selector).toEqual(find(k8s, 'Deployment', 'hello-web').spec.selector.matchLabels);
    // Both DNS round-robin in swarm: nginx gets every replica's address.
    expect(stacked.hello?.deploy?.endpoint_mode).toBe('dnsrr');
    expect(stacked.nginx?.deploy?.endpoint_mode).toBe('dnsrr');
  });

  it('on the health paths, which the service answers', async () => {
    expect(helloContainer.readinessProbe.httpGet).toEqual({ path: READY_PATH, port: 'http' });
    expect(helloContainer.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const app = buildApp(loadConfig({ WORK_ITERATIONS: '0' }));
    try {
      for (const path of [READY_PATH, '/healthz']) {
        expect((await app.inject({ method: 'GET', url: path })).statusCode, path).toBe(200);
      }
    } finally {
      await app.close();
    }
    // compose and swarm ask the readiness path with wget; the image's own HEALTHCHECK, for a
    // replica run alone, with its healthcheck program.
    expect(readText('services/hello/src/healthcheck.ts')).toContain('path: READY_PATH');
    for (const service of ['hello', 'nginx', 'prometheus']) {
      expect(stacked[service]?.healthcheck, service).toEqual(composed[service]?.healthcheck);
    }
    expect(composed.hello?.healthcheck?.test).toEqual([
      'CMD',
      'wget',
      '-q',
      '-O',
      '/dev/null',
      '-T',
      '2',
      `http://127.0.0.1:${DEFAULT_PORT}${READY_PATH}`,
    ]);
    const nginxCheck = ((composed.nginx?.healthcheck?.test ?? []) as string[]).at(-1);
    expect(nginxCheck).toBe(
      `http://127.0.0.1:${nginxContainer.ports[1].containerPort}${nginxContainer.readinessProbe.httpGet.path}`,
    );
  });

  it("on Node's flags: the image's command has them, and nothing replaces that command", () => {
    const cmd = /^CMD (\[[^\]]*\])/m.exec(readText('services/Dockerfile').replace(/\\\n\s*/g, ''));
    expect(JSON.parse(cmd?.[1] ?? '[]')).toEqual([
      'node',
      '--enable-source-maps',
      ...NODE_FLAGS,
      'services/hello/dist/server.js',
    ]);
    expect(composed.hello?.command).toBeUndefined();
    expect(stacked.hello?.command).toBeUndefined();
    expect(helloContainer.command).toBeUndefined();
    expect(helloContainer.args).toBeUndefined();
    expect(readText('services/hello/bench/compare-seed.ts')).toContain(
      "start('../dist/server.js', NODE_FLAGS)",
    );
  });

  it('on the replica count: 3', () => {
    expect(composed.hello?.deploy?.replicas).toBe(3);
    expect(stacked.hello?.deploy?.replicas).toBe(3);
    expect(find(k8s, 'Deployment', 'hello-web').spec.replicas).toBe(3);
    expect(find(k8s, 'HorizontalPodAutoscaler', 'hello-web').spec.minReplicas).toBe(3);
    expect(readText('Makefile')).toMatch(/\nN \?= 3\n/);
  });

  it('on the limits and the users', () => {
    const pods = {
      hello: [helloPod, helloContainer],
      nginx: [nginxPod, nginxContainer],
      prometheus: [prometheusPod, prometheusContainer],
    } as const;
    for (const [name, [pod, container]] of Object.entries(pods)) {
      const limits = composed[name]?.deploy?.resources?.limits;
      expect(stacked[name]?.deploy?.resources?.limits, name).toEqual(limits);
      expect(container.resources.limits.cpu, name).toBe(limits?.cpus);
      expect(bytes(container.resources.limits.memory), name).toBe(bytes(String(limits?.memory)));
      expect(stacked[name]?.user, name).toBe(composed[name]?.user);
      expect(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`, name).toBe(
        composed[name]?.user,
      );
    }
  });

  it("on the hardening: read-only, no capabilities, an init; in Kubernetes' terms too", () => {
    const hardening = (service: ComposeService | undefined) => [
      service?.read_only,
      service?.cap_drop,
      service?.init,
    ];
    for (const name of ['hello', 'nginx', 'prometheus']) {
      expect(hardening(stacked[name]), name).toEqual(hardening(composed[name]));
      expect(hardening(composed[name]), name).toEqual([true, ['ALL'], true]);
    }
    for (const container of [helloContainer, nginxContainer, prometheusContainer]) {
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
    for (const pod of [helloPod, nginxPod, prometheusPod])
      expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(composed.prometheus?.security_opt).toEqual(composed.hello?.security_opt);
  });

  it("on stopping: each grace period outlasts the service's own graceful shutdown", () => {
    // The service's shutdown settings as an orchestrator sets them, defaults for the rest.
    const shutdown = (variables: Record<string, string>) => {
      const { SHUTDOWN_DELAY_MS, SHUTDOWN_TIMEOUT_MS } = variables;
      const config = loadConfig({ SHUTDOWN_DELAY_MS, SHUTDOWN_TIMEOUT_MS });
      return { delay: config.SHUTDOWN_DELAY_MS, limit: config.SHUTDOWN_TIMEOUT_MS };
    };
    const graces = [
      ['compose', ms(composed.hello?.stop_grace_period), shutdown(composed.hello?.environment ?? {})],
      ['swarm', ms(stacked.hello?.stop_grace_period), shutdown(stacked.hello?.environment ?? {})],
      [
        'kubernetes',
        helloPod.terminationGracePeriodSeconds * 1000,
        shutdown(
          Object.fromEntries(
            helloContainer.env.map((e: { name: string; value: string }) => [e.name, e.value]),
          ),
        ),
      ],
    ] as const;
    for (const [where, grace, { delay, limit }] of graces) {
      // The service exits by itself within its limit, drain delay included, before the kill;
      // and the drain delay leaves at least 3 s of that limit to the requests in flight.
      expect(grace, where).toBeGreaterThan(limit);
      expect(limit - delay, where).toBeGreaterThanOrEqual(3000);
    }
    // Both orchestrators drop a stopping replica from DNS while it still answers.
    expect(shutdown(stacked.hello?.environment ?? {}).delay).toBeGreaterThan(0);
    expect(Number(variable(helloContainer, 'SHUTDOWN_DELAY_MS'))).toBeGreaterThan(0);
  });

  it('on the node: each orchestrator tells a replica which node it runs on (X-Node)', () => {
    expect(stacked.hello?.environment?.NODE_NAME).toBe('{{.Node.Hostname}}');
    const node = helloContainer.env.find((e: { name: string }) => e.name === 'NODE_NAME');
    expect(node?.valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    // One machine has one node to name: compose passes none, and answers carry no X-Node.
    expect(composed.hello?.environment?.NODE_NAME).toBeUndefined();
  });

  it('on the secret: the greeting, a file in /run/secrets, from the orchestrator', () => {
    const swarmSecret = stacked.hello?.secrets?.[0];
    expect(stacked.hello?.environment?.GREETING_FILE).toBe(`/run/secrets/${swarmSecret?.target}`);
    expect(Object.keys(stack().secrets ?? {})).toEqual([swarmSecret?.source]);

    const mount = helloContainer.volumeMounts.find((m: { name: string }) => m.name === 'greeting');
    const volume = helloPod.volumes.find((v: { name: string }) => v.name === 'greeting');
    const generator = kustomization().secretGenerator?.find((s) => s.name === volume.secret.secretName);
    const [key, value] = (generator?.literals?.[0] ?? '').split('=');
    expect(variable(helloContainer, 'GREETING_FILE')).toBe(`${mount.mountPath}/${key}`);
    expect(`${mount.mountPath}/${key}`).toBe(`/run/secrets/${swarmSecret?.target}`);
    // The default greeting of `make swarm-up`, and the one the service has without a file.
    expect(readText('mk/swarm.mk')).toContain(`GREETING ?= ${value}\n`);
    expect(defaults.greeting).toBe(value);
  });

  it('on Prometheus: it scrapes the replicas by the name nginx balances over, at the path they answer', async () => {
    const [job] = scrapeConfig.scrape_configs;
    expect(scrapeConfig.scrape_configs).toHaveLength(1);
    expect(job?.dns_sd_configs).toEqual([
      { names: ['hello'], type: 'A', port: DEFAULT_PORT, refresh_interval: '1s' },
    ]);
    expect(scrapeConfig.global.scrape_interval).toBe('1s');
    const app = buildApp(loadConfig({ WORK_ITERATIONS: '0' }));
    try {
      const metrics = await app.inject({ method: 'GET', url: job?.metrics_path ?? '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toMatch(/^# TYPE http_requests_total counter$/m);
    } finally {
      await app.close();
    }
  });

  it("on Prometheus' port and memory: what nginx asks, what the Service and compose offer, the tmpfs", () => {
    expect(nginxConf).toMatch(/\n\s*set \$prometheus prometheus:9090;\n/);
    expect(composed.prometheus?.expose).toEqual(['9090']);
    expect(prometheusContainer.ports).toEqual([{ name: 'http', containerPort: 9090 }]);
    expect(find(k8s, 'Service', 'prometheus').spec).toMatchObject({
      selector: find(k8s, 'Deployment', 'prometheus').spec.selector.matchLabels,
      ports: [{ port: 9090, targetPort: 'http' }],
    });
    expect(composed.prometheus?.ports).toBeUndefined();
    expect(stacked.prometheus?.ports).toBeUndefined();
    // The samples are in memory everywhere, within the same size.
    const size = /^\/prometheus:size=(\d+)m,/.exec(String(composed.prometheus?.tmpfs?.[0]))?.[1];
    expect(stacked.prometheus?.volumes).toEqual([
      { type: 'tmpfs', target: '/prometheus', tmpfs: { size: Number(size) * 2 ** 20 } },
    ]);
    const dataVolume = prometheusPod.volumes.find((v: { name: string }) => v.name === 'data');
    expect(dataVolume.emptyDir).toEqual({ medium: 'Memory', sizeLimit: `${size}Mi` });
    expect(prometheusContainer.volumeMounts).toEqual([{ name: 'data', mountPath: '/prometheus' }]);
  });
});

// A cluster of several nodes (scripts/lab/cluster.sh) deploys the same stack with
// swarm/cluster.yaml over it: only what several machines need may differ.
describe('the stack on a cluster of nodes agrees with the stack on one', () => {
  const overlay = clusterOverlay().services;
  const clusterScript = readText('scripts/lab/cluster.sh');
  const clusterMake = readText('mk/cluster.mk');

  it("on the images: every service's, from the cluster's registry, all of them pushed there", () => {
    expect(Object.keys(overlay).sort()).toEqual(Object.keys(stacked).sort());
    for (const [name, service] of Object.entries(stacked)) {
      const image = overlay[name]?.image ?? '';
      expect(image, name).toMatch(/^\$\{SWARM_REGISTRY(:\?[^}]*)?\}\//);
      expect(image.replace(/^\$\{SWARM_REGISTRY(:\?[^}]*)?\}\//, ''), name).toBe(service.image);
    }
    // The images the cluster pushes are those swarm.sh builds for the stack: its every service.
    const built = /\nservices=\(([^)]*)\)\n/.exec(readText('scripts/lab/swarm.sh'))?.[1]?.split(' ');
    expect(built?.sort()).toEqual(Object.keys(stacked).sort());
    expect(clusterScript).toContain('SWARM_REGISTRY=$registry:5000');
    expect(clusterScript).toContain('--insecure-registry "$registry:5000"');
    expect(clusterScript).toContain('-p "127.0.0.1:$registry_port:5000"');
  });

  it("on the answer's hostname: the node a task runs on, then its slot", () => {
    expect(overlay.hello?.hostname).toBe('{{.Node.Hostname}}-{{.Task.Slot}}');
    // The nodes' hostnames are their containers' names, which the tests read back from answers.
    expect(clusterScript).toContain('--name "$name" --hostname "$name"');
  });

  it('on the one way in: nginx on the manager, whose port alone this machine publishes', () => {
    expect(overlay.nginx?.deploy?.placement?.constraints).toEqual(['node.role == manager']);
    expect(overlay.nginx?.ports).toBeUndefined();
    expect(clusterScript).toContain('SWARM_HTTP_PORT=$http_port');
    expect(clusterScript).toContain('publish=(-p "127.0.0.1:$http_port:$http_port")');
    // mk/cluster.mk's defaults are the script's.
    for (const setting of ['CLUSTER_HTTP_PORT', 'CLUSTER_REGISTRY_PORT']) {
      const port = new RegExp(`\n${setting} \\?= (\\d+)\n`).exec(clusterMake)?.[1];
      expect(port, setting).toMatch(/^\d+$/);
      expect(clusterScript).toContain(`\${${setting}:-${port}}`);
    }
  });

  it('on everything else: the overlay changes no setting of the stack but these', () => {
    const allowed: Record<string, string[]> = {
      hello: ['image', 'hostname'],
      nginx: ['image', 'deploy'],
    };
    for (const [name, service] of Object.entries(overlay))
      expect(Object.keys(service).sort(), name).toEqual((allowed[name] ?? ['image']).sort());
    expect(Object.keys(overlay.nginx?.deploy ?? {})).toEqual(['placement']);
  });
});
