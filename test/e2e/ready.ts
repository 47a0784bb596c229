// Each e2e file starts once the lab under test is up (test/e2e/stack.ts starts it in the
// background), and fails with the reason when it could not start.
import { existsSync, readFileSync } from 'node:fs';
import { eventually, LAB_READY } from './lab.js';

// A deadline for a broken start only: a fresh machine builds every image first.
const up = await eventually(async () => existsSync(LAB_READY), 900_000, 500);
if (!up) throw new Error('the lab under test is not up after 15 minutes');
const state = readFileSync(LAB_READY, 'utf8');
if (state !== 'ok') throw new Error(state);
