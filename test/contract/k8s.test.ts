// The Kubernetes manifests, checked with no cluster: each object against the Kubernetes API's
// OpenAPI schema (kubernetes-models), the kustomize render, and nginx's start-up script.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Namespace, Secret, Service } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { find, type K8sObject, k8sFiles, kustomization, ROOT, readText, renderK8s } from './manifests.js';

// The kinds the lab uses, each with its schema; anything else is a mistake until added here.
const MODELS: Record<string, new (data: K8sObject) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

/** The schema's complaints about one object, or "" when it has none. */
function schemaErrors(object: K8sObject): string {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return `no schema here for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the Kubernetes manifests', () => {
  const files = k8sFiles();

  it('are all listed in kustomization.yaml', () => {
    const yamlFiles = readdirSync(`${ROOT}k8s`).filter((name) => /\.ya?ml$/.test(name));
    expect([...kustomization().resources, 'kustomization.yaml'].sort()).toEqual(yamlFiles.sort());
  });

  it.each(files.map(({ file, objects }) => [file, objects] as const))(
    '%s validates against the Kubernetes API schema',
    (_file, objects) => {
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) expect(schemaErrors(object), object.metadata?.name).toBe('');
    },
  );

  it('would catch a mistake: the schema refuses a wrong type and a missing field', () => {
    const deployment = find(
      files.flatMap(({ objects }) => objects),
      'Deployment',
      'hello-web',
    );
    const wrongPort = structuredClone(deployment);
    wrongPort.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(schemaErrors(wrongPort)).toMatch(/containerPort must be integer/);
    const noSelector = structuredClone(deployment);
    delete noSelector.spec.selector;
    expect(schemaErrors(noSelector)).toMatch(/spec must have required property selector/);
  });
});

describe('kubectl kustomize k8s', () => {
  let rendered: K8sObject[] = [];
  beforeAll(() => {
    rendered = renderK8s();
  });

  it('renders every object into the lab namespace, each valid against the API schema', () => {
    const kinds = rendered.map(
      (object) => `${object.kind}/${object.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`,
    );
    expect(kinds.sort()).toEqual([
      'Deployment/hello-web',
      'Deployment/nginx',
      'Deployment/prometheus',
      'HorizontalPodAutoscaler/hello-web',
      'Namespace/hello-lab',
      'Secret/hello-greeting',
      'Service/hello',
      'Service/hello-web',
      'Service/prometheus',
    ]);
    for (const object of rendered) {
      expect(schemaErrors(object), object.metadata.name).toBe('');
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('hello-lab');
    }
  });

  it('mounts the generated Secret, under its hashed name, into the hello pods', () => {
    const secret = rendered.find((object) => object.kind === 'Secret');
    expect(secret?.metadata.name).toMatch(/^hello-greeting-[a-z0-9]{10}$/);
    expect(Buffer.from(secret?.data.greeting, 'base64').toString()).toMatch(/^\p{L}{1,32}$/u);
    const pod = find(rendered, 'Deployment', 'hello-web').spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'greeting', secret: { secretName: secret?.metadata.name, defaultMode: 0o440 } },
    ]);
  });
});

describe("nginx's start-up script in k8s/nginx.yaml", () => {
  const dir = mkdtempSync(join(tmpdir(), 'hello-lab-nginx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const manifests = k8sFiles().flatMap(({ objects }) => objects);
  const container = find(manifests, 'Deployment', 'nginx').spec.template.spec.containers[0];
  const nginxConf = readText('nginx/nginx.conf');

  /** Runs the script on this machine: nginx/nginx.conf and a pod's resolv.conf from files here. */
  function start(resolvConf: string) {
    writeFileSync(join(dir, 'resolv.conf'), resolvConf);
    // A stand-in nginx that records how it was started.
    writeFileSync(join(dir, 'nginx'), `#!/bin/sh\necho "$@" >"${dir}/args"\n`);
    chmodSync(join(dir, 'nginx'), 0o755);
    const script = (container.args[0] as string)
      .replaceAll('/etc/resolv.conf', join(dir, 'resolv.conf'))
      .replaceAll('/etc/nginx/nginx.conf', `${ROOT}nginx/nginx.conf`)
      .replaceAll('/tmp/nginx.conf', join(dir, 'nginx.conf'));
    return execFileSync(container.command[0], [...container.command.slice(1), script], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      encoding: 'utf8',
      stdio: 'pipe',
    });
  }

  it("changes only the resolver, the replicas' and Prometheus' names of nginx/nginx.conf, then starts nginx on it", () => {
    start('search hello-lab.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\n');
    const before = nginxConf.split('\n');
    const after = readFileSync(join(dir, 'nginx.conf'), 'utf8').split('\n');
    expect(after).toHaveLength(before.length);
    const changed = before.flatMap((line, i) => (line === after[i] ? [] : [[line.trim(), after[i]?.trim()]]));
    expect(changed).toHaveLength(3);
    expect(changed[0]?.[1]).toBe(changed[0]?.[0]?.replace('resolver 127.0.0.11 ', 'resolver 10.96.0.10 '));
    expect(changed[1]?.[1]).toBe(
      changed[1]?.[0]?.replace('server hello:8080 ', 'server hello.hello-lab.svc.cluster.local:8080 '),
    );
    expect(changed[2]?.[1]).toBe(
      changed[2]?.[0]?.replace(' prometheus:9090;', ' prometheus.hello-lab.svc.cluster.local:9090;'),
    );
    expect(readFileSync(join(dir, 'args'), 'utf8').trim()).toBe(
      `-e stderr -c ${join(dir, 'nginx.conf')} -g daemon off;`,
    );
  });

  it('stops with one line when the pod has no search domain to build the name from', () => {
    let stderr = '';
    try {
      start('nameserver 10.96.0.10\n');
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toMatch(/^nginx: cannot fit \S+ to this cluster's DNS\n$/);
  });
});
