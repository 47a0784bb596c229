import type { IncomingMessage } from 'node:http';
import {
  decimalNumber,
  oneOf,
  readEnvironment,
  refuse,
  UsageError,
  wholeNumber,
} from '@hello-lab/shared/options';

/**
 * A replica made sick on purpose (make sick), so that a lab's operator can watch what a slow,
 * failing, unready or hung replica does to the traffic behind the proxy. One state per process:
 * the operator's routes change it (operator.ts), the service's routes obey it.
 */
export const SICK_MODES = ['slow', 'fail', 'unready', 'stall'] as const;
export type SickMode = (typeof SICK_MODES)[number];

export type SickState =
  | { mode: 'slow'; factor: number }
  | { mode: 'fail'; share: number }
  | { mode: 'unready' }
  | { mode: 'stall' };

const CHANGES = [...SICK_MODES, 'heal'] as const;

/** What a change takes, as POST /sick reads it and scripts/lab/sick.sh checks it first. */
export const SICK_SETTINGS = {
  mode: { allowed: `one of ${CHANGES.join(', ')}`, parse: oneOf(CHANGES) },
  factor: { allowed: 'a whole number from 2 to 20', parse: wholeNumber(2, 20) },
  share: { allowed: 'a number from 0.01 to 1', parse: decimalNumber(0.01, 1) },
};

/** slow runs the loop twice (half speed); fail fails every second answer. */
export const SICK_DEFAULTS = { factor: 2, share: 0.5 };

/** Which mode each setting belongs to. */
const SETTING_MODE = { factor: 'slow', share: 'fail' } as const;

/**
 * The state a change asks for (null: heal), from the fields of a request. A bad or misplaced
 * field throws a one-line UsageError naming it and what is allowed.
 */
export function parseSickChange(fields: Readonly<Record<string, string>>): SickState | null {
  for (const name of Object.keys(fields)) {
    if (!(name in SICK_SETTINGS)) {
      throw new UsageError(
        `"${name}" is not a setting: expected mode, factor (with mode=slow) or share (with mode=fail)`,
      );
    }
  }
  const { given } = readEnvironment(SICK_SETTINGS, fields);
  const { mode } = given;
  if (mode === undefined) refuse('mode', fields.mode ?? '', SICK_SETTINGS.mode.allowed);
  for (const [name, owner] of Object.entries(SETTING_MODE) as [keyof typeof SETTING_MODE, SickMode][]) {
    if (given[name] !== undefined && mode !== owner) {
      refuse(name, fields[name] ?? '', `no ${name} with mode=${mode}`, `${name} is for mode=${owner}`);
    }
  }
  switch (mode) {
    case 'heal':
      return null;
    case 'slow':
      return { mode, factor: given.factor ?? SICK_DEFAULTS.factor };
    case 'fail':
      return { mode, share: given.share ?? SICK_DEFAULTS.share };
    default:
      return { mode };
  }
}

/** How many requests a stalled replica holds at most; beyond, it drops their connections. */
export const MAX_HELD = 1000;

/** A request held by a stalled replica, and how it goes on once released. */
interface Held {
  request: IncomingMessage;
  resume: () => void;
}

/**
 * A held request whose client has not given up: its connection is open, and it was not destroyed
 * before it had all come in. A request that had all come in counts by its connection alone:
 * Node 24 destroys a request once its empty body has been read, while its client still waits.
 */
const waiting = ({ request }: Held) => !request.socket?.destroyed && (request.complete || !request.destroyed);

/** The answer GET / gives when it fails on purpose. */
export const MADE_TO_FAIL = {
  statusCode: 500,
  error: 'Internal Server Error',
  message: 'This replica was made to fail a share of its answers (make sick MODE=fail); make heal ends it',
} as const;

export class Sickness {
  #state: SickState | null = null;
  /** Answers to GET / since mode=fail began. */
  #answers = 0;
  #held: Held[] = [];

  get state(): SickState | null {
    return this.#state;
  }

  /** Changes the mode (null heals); leaving stall releases every held request, in order. */
  set(state: SickState | null): void {
    this.#state = state;
    this.#answers = 0;
    if (state?.mode !== 'stall') this.#release();
  }

  /** How many times over GET / runs the busy loop: 1 unless slow. */
  get factor(): number {
    return this.#state?.mode === 'slow' ? this.#state.factor : 1;
  }

  get unready(): boolean {
    return this.#state?.mode === 'unready';
  }

  get stalled(): boolean {
    return this.#state?.mode === 'stall';
  }

  /**
   * Whether this answer to GET / fails. Of the first n answers, floor(n × share) fail, evenly
   * spread: share 0.5 fails the 2nd, 4th, 6th ..., share 1 every one.
   */
  failsNow(): boolean {
    const state = this.#state;
    if (state?.mode !== 'fail') return false;
    this.#answers += 1;
    return Math.floor(this.#answers * state.share) > Math.floor((this.#answers - 1) * state.share);
  }

  /**
   * Holds a request until the replica is healed, as a hung process would. The held are bounded
   * so that memory cannot grow without end: when MAX_HELD still wait, the connection is dropped.
   */
  hold(request: IncomingMessage, resume: () => void): void {
    // Clients that gave up (the proxy times out) leave their place.
    if (this.#held.length >= MAX_HELD) this.#held = this.#held.filter(waiting);
    if (this.#held.length >= MAX_HELD) {
      request.destroy();
      return;
    }
    this.#held.push({ request, resume });
  }

  /** Requests held now whose clients still wait. */
  get held(): number {
    return this.#held.filter(waiting).length;
  }

  #release(): void {
    const held = this.#held;
    this.#held = [];
    // A request whose client has gone gets no answer, and costs no busy loop.
    for (const entry of held) if (waiting(entry)) entry.resume();
  }
}
