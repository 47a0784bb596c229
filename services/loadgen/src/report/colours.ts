import { hostnameHue } from '@hello-lab/shared/html';
import { NO_HEADER } from '../tally.js';

// The reports' colours: by version, by hostname, by kind of event, and for failures.

const VERSION_COLOURS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#db2777', '#0891b2'];
export const NO_HEADER_COLOUR = '#6b7280';
export const ERROR_COLOUR = '#dc2626';
export const NON2XX_COLOUR = '#ea580c';

/**
 * Colours for the kinds of event the lab's scripts write, by what they do to the service: a
 * fault, a recovery, a rollout or a rollback. Any other kind is kept and drawn in grey.
 */
const EVENT_KIND_COLOURS: ReadonlyArray<readonly [RegExp, string]> = [
  // A cluster's node operations (scripts/lab/cluster.sh) are named node-kill, node-ready, ...
  [/^(node-)?(kill|stop|pause|restart|crash|fault|disconnect|down|drain)/, '#e11d48'],
  [/^(node-)?(start|unpause|resume|recover|ready|healthy|connect|add|back)|^rescheduled/, '#16a34a'],
  [/^rollout/, '#7c3aed'],
  [/^rollback/, '#0e7490'],
];

export function eventColour(kind: string): string {
  return EVENT_KIND_COLOURS.find(([pattern]) => pattern.test(kind))?.[1] ?? NO_HEADER_COLOUR;
}

export function hostnameColour(name: string): string {
  return name === NO_HEADER ? NO_HEADER_COLOUR : `hsl(${hostnameHue(name)} 62% 42%)`;
}

/** Colours by version, in the order of the version names, so v1 keeps its colour between runs. */
export function versionColours(versions: Record<string, number>): Map<string, string> {
  const names = Object.keys(versions)
    .filter((name) => name !== NO_HEADER)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const colours = new Map(
    names.map((name, i) => [name, VERSION_COLOURS[i % VERSION_COLOURS.length] as string]),
  );
  colours.set(NO_HEADER, NO_HEADER_COLOUR);
  return colours;
}
