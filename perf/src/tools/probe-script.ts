import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../lab.js';

/**
 * The probe (probe/probe.ts) as JavaScript for `node -` in the driver: the container has Node but
 * no TypeScript, and the probe imports only Node's own modules, so transpiling the one file does.
 */
export async function probeScript(): Promise<string> {
  const source = await readFile(join(ROOT, 'perf/src/probe/probe.ts'), 'utf8');
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}
