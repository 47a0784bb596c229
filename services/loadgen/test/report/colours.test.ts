import { describe, expect, it } from 'vitest';
import { eventColour } from '../../src/report/colours.js';

describe('eventColour', () => {
  it.each([
    ['kill', '#e11d48'],
    ['stop', '#e11d48'],
    ['pause', '#e11d48'],
    ['restart-nginx', '#e11d48'],
    ['start', '#16a34a'],
    ['unpause', '#16a34a'],
    ['recovered', '#16a34a'],
    ['rollout-start', '#7c3aed'],
    ['rollout-step', '#7c3aed'],
    ['rollout-done', '#7c3aed'],
    ['rollback-start', '#0e7490'],
    ['scale-up', '#6b7280'],
    // a cluster's node operations
    ['node-kill', '#e11d48'],
    ['node-drain', '#e11d48'],
    ['node-down', '#e11d48'],
    ['node-add', '#16a34a'],
    ['node-ready', '#16a34a'],
    ['node-back', '#16a34a'],
    ['rescheduled', '#16a34a'],
  ])('%s -> %s', (kind, colour) => {
    expect(eventColour(kind)).toBe(colour);
  });
});
