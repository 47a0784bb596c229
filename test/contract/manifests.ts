// What the consistency tests read: compose.yaml, the swarm stack and the Kubernetes manifests, as
// the tools themselves read them. Plain file reads; only the kustomize render runs a program.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = new URL('../../', import.meta.url).pathname;

export const readText = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

// YAML 1.1 with merge keys, as Docker and Kubernetes read it (0440 is an octal number there).
const YAML_OPTIONS = { version: '1.1', merge: true } as const;

export interface ComposeService {
  image: string;
  hostname?: string;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  init?: boolean;
  command?: string[];
  environment?: Record<string, string>;
  expose?: string[];
  tmpfs?: string[];
  volumes?: (string | { type: string; target: string; tmpfs?: { size?: number } })[];
  ports?: (string | { target: number; published: string; mode: string })[];
  secrets?: { source: string; target: string }[];
  healthcheck?: Record<string, unknown>;
  stop_grace_period?: string;
  deploy?: {
    replicas?: number;
    endpoint_mode?: string;
    resources?: { limits?: { cpus?: string; memory?: string; pids?: number } };
    placement?: { constraints?: string[] };
  };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string; name?: string }>;
}

export const compose = () => parse(readText('compose.yaml'), YAML_OPTIONS) as ComposeFile;
export const perfCompose = () => parse(readText('perf/compose.yaml'), YAML_OPTIONS) as ComposeFile;
export const stack = () => parse(readText('swarm/stack.yaml'), YAML_OPTIONS) as ComposeFile;
/** swarm/cluster.yaml, which `docker stack deploy` lays over the stack on a cluster of nodes. */
export const clusterOverlay = () => parse(readText('swarm/cluster.yaml'), YAML_OPTIONS) as ComposeFile;

/** prometheus/prometheus.yml, as far as the tests look into it. */
export interface PrometheusConfig {
  global: { scrape_interval: string };
  scrape_configs: {
    job_name: string;
    metrics_path?: string;
    dns_sd_configs?: { names: string[]; type: string; port: number; refresh_interval: string }[];
  }[];
}

export const prometheusConfig = () => parse(readText('prometheus/prometheus.yml')) as PrometheusConfig;

/** The defaults in .env, as compose and the Makefile read them. */
export function dotEnv(): Record<string, string> {
  const pairs = readText('.env')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.split('=', 2) as [string, string]);
  return Object.fromEntries(pairs);
}

/** A Kubernetes object as far as these tests look into it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // biome-ignore lint/suspicious/noExplicitAny: the API schema checks these; the tests read a few fields
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  [field: string]: any;
}

export interface Kustomization {
  namespace: string;
  resources: string[];
  secretGenerator?: { name: string; literals?: string[] }[];
}

export const kustomization = () => parse(readText('k8s/kustomization.yaml'), YAML_OPTIONS) as Kustomization;

function documents(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text, YAML_OPTIONS).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message}`);
    return doc.toJS() as K8sObject;
  });
}

/** Every object of the manifests kustomization.yaml lists, with the file it comes from. */
export function k8sFiles(): { file: string; objects: K8sObject[] }[] {
  return kustomization().resources.map((resource) => {
    const file = `k8s/${resource}`;
    return { file, objects: documents(readText(file), file) };
  });
}

/** `kubectl kustomize k8s`: what `kubectl apply -k k8s` would send to a cluster. */
export function renderK8s(): K8sObject[] {
  let text: string;
  try {
    text = execFileSync('kubectl', ['kustomize', `${ROOT}k8s`], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    if (code === 'ENOENT')
      throw new Error('kubectl is not on PATH: `make kubectl-install` installs it (as root)');
    throw new Error(`kubectl kustomize k8s failed: ${stderr}`);
  }
  return documents(text, 'kubectl kustomize k8s');
}

/** The one object of a kind and name; fails the test when there is none. */
export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among the manifests`);
  return found;
}
