// Real answers of the lab's Prometheus to the page's five queries (src/queries.ts), recorded once
// over 94 s of a lab under load: 3 replicas scaled to 4 at +15 s, the process of 287d6f92d1e9
// killed at +29 s (back at +70 s), d158b9dbb489 made sick (MODE=fail) at +44 s and healed at
// +53 s, and a rollout to v2 from +58 s.
import { readFileSync } from 'node:fs';
import { parseMatrix, type Series } from '../src/prometheus.js';
import type { ChartName } from '../src/queries.js';

const recorded = JSON.parse(readFileSync(new URL('fixtures/scenario.json', import.meta.url), 'utf8'));

export const FROM: number = recorded.start;
export const TO: number = recorded.end;
export const STEP: number = recorded.step;
export const raw = (chart: ChartName): unknown => recorded[chart];
export const recordedSeries = (chart: ChartName): Series[] => parseMatrix(recorded[chart]);
