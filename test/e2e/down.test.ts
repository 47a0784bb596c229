// `make down` on a lab of its own (another project name and port): nothing may be left behind.
import { describe, expect, it } from 'vitest';
import { labEnv, PORT, PROJECT, run } from './lab.js';

const project = `${PROJECT}-down`;
const env = { ...labEnv, COMPOSE_PROJECT_NAME: project, HTTP_PORT: String(PORT + 5) };
const makeHere = (...args: string[]) => run('make', ['--no-print-directory', ...args], env);
const leftovers = async () => {
  const label = `label=com.docker.compose.project=${project}`;
  const lists = await Promise.all([
    run('docker', ['ps', '-aq', '--filter', label]),
    run('docker', ['network', 'ls', '-q', '--filter', label]),
    run('docker', ['volume', 'ls', '-q', '--filter', label]),
  ]);
  return lists.map(({ stdout }) => stdout.trim());
};

describe('make down', () => {
  it('removes every container, network and volume the lab created', async () => {
    try {
      await makeHere('up', 'N=1');
      const [containers, networks] = await leftovers();
      // One replica, nginx and Prometheus.
      expect(containers?.split('\n')).toHaveLength(3);
      expect(networks).not.toBe('');
    } finally {
      await makeHere('down');
    }
    expect(await leftovers()).toEqual(['', '', '']);
  });
});
