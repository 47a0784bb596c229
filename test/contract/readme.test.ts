// Every command in the README must work as written: each `make` target it names exists, and each
// command is run by a test or by CI (.ci/run), or is listed below with the reason it cannot be.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, readText } from './manifests.js';

/** The commands of the README's ```sh blocks, without their comments. */
function readmeCommands(readme: string): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const makefiles = ['Makefile', ...readdirSync(`${ROOT}mk`).map((name) => `mk/${name}`)];
const makeText = makefiles.map((file) => readText(file)).join('\n');
const targets = new Set([...makeText.matchAll(/^([a-zA-Z0-9_-]+):/gm)].map((m) => m[1]));

const testDirs = ['test/e2e', 'test/contract'];
const testText = testDirs
  .flatMap((dir) => readdirSync(`${ROOT}${dir}`).map((name) => readFileSync(`${ROOT}${dir}/${name}`, 'utf8')))
  .join('\n');
const ciText = readText('.ci/run');

/** Targets no test can run here, and why. */
const NOT_RUN: Record<string, string> = {
  logs: 'follows the logs until Ctrl-C',
  clean: "removes the person's own images and reports",
  perf: 'takes about twelve minutes; the tests run the same job at tiny sizes (make perf-quick)',
  overload:
    'three minutes of load at 1000 and 3000 clients; test/e2e/overload.test.ts runs its scenario (the bound on and off) against slowed replicas, and test/contract/overload-script.test.ts its settings and its reading of the log',
  'kube-images': 'needs minikube',
  'kube-apply': 'needs a Kubernetes cluster',
  'kube-delete': 'needs a Kubernetes cluster',
};

const commands = readmeCommands(readText('README.md'));
const makeCommands = commands.filter((command) => command.startsWith('make '));

describe('the README', () => {
  it('has commands to check', () => {
    expect(makeCommands.length).toBeGreaterThan(20);
  });

  it.each(makeCommands)('names a target that exists: %s', (command) => {
    const target = command.split(/\s+/)[1] ?? '';
    expect(targets).toContain(target);
  });

  it.each(makeCommands)('passes only variables the Makefiles or compose read: %s', (command) => {
    const compose = readText('compose.yaml');
    for (const [, name] of command.matchAll(/\b([A-Z_]+)=/g)) {
      const read = new RegExp(`\\$[({]${name}\\b|\\b${name}\\b\\s*[?:]?=|export [A-Z_ ]*\\b${name}\\b`);
      expect(read.test(makeText) || compose.includes(`\${${name}`), `${name} is read nowhere`).toBe(true);
    }
  });

  it.each(makeCommands)('runs in a test or in CI, or says why not: %s', (command) => {
    const target = command.split(/\s+/)[1] ?? '';
    const quoted = new RegExp(`['"\`]${target}['"\`]|make ${target}\\b`);
    expect(quoted.test(testText) || quoted.test(ciText) || target in NOT_RUN).toBe(true);
  });

  it.each(commands.filter((command) => !command.startsWith('make ')))(
    'runs its other commands in a test: %s',
    (command) => {
      // The README's own words, as test/e2e/readme.test.ts and the other tests run them.
      const words = command.split(/\s+/);
      const said = words.slice(0, 3).map((word) => `'${word}'`);
      const ran =
        command.startsWith('export ') ||
        // What CI runs on a fresh machine: this very command.
        command === 'bash .ci/run' ||
        testText.includes(`'${command}'`) ||
        said.every((word) => testText.includes(word));
      expect(ran, `no test runs: ${command}`).toBe(true);
    },
  );
});
