import { execFileSync } from 'node:child_process';

/** Compiles every workspace once, so tests that start real processes run the current code. */
export default function build(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
