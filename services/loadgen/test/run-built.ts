// Runs one of the load generator's built programs (dist/*.js) as a user would: a process of its
// own, to its end, with only the environment given (and PATH).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The path of a built program, such as `cli` for dist/cli.js. */
export const built = (name: string) => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));

/** Its exit code and what it wrote; killed after 2 minutes, a deadline for a broken run. */
export async function runBuilt(
  program: string,
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [program, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}
