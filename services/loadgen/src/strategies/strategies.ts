// The balancing strategies compared by make strategies: nginx open source's methods and a
// per-connection one, each an upstream of nginx/strategies.conf on a port of its own.

export interface Strategy {
  /** The name in the reports and the JSON, one word. */
  key: string;
  /** How a reader calls it. */
  name: string;
  /** The nginx directive in the strategy's upstream block; round robin has none. */
  directive: string;
  /** nginx's port for the strategy, on the lab's network only (nginx/strategies.conf). */
  port: number;
  /**
   * Why the strategy wins when it does, as the end of "because ..."; null for a hash, which
   * decides by the client, not by load, so that its win is where the hash happened to fall.
   */
  because: string | null;
}

/** In the order they run and read, the default first. */
export const STRATEGIES = [
  {
    key: 'round-robin',
    name: 'round robin',
    directive: '(default)',
    port: 8091,
    because: 'it gives every replica its turn, whatever that replica is still busy with',
  },
  {
    key: 'least-conn',
    name: 'least_conn',
    directive: 'least_conn',
    port: 8092,
    because:
      'it sends each request to the replica with the fewest in flight, and the slow replica, which holds its requests longer, gets fewer',
  },
  {
    key: 'random-two',
    name: 'random two least_conn',
    directive: 'random two least_conn',
    port: 8093,
    because:
      'it takes the less busy of two replicas picked at random, so it routes around the slow replica as least_conn does',
  },
  {
    key: 'client-hash',
    name: 'hash on the client (sticky)',
    directive: 'hash $remote_addr',
    port: 8094,
    because: null,
  },
  {
    key: 'per-connection',
    name: 'per connection (kube-proxy)',
    directive: 'hash $remote_addr$remote_port',
    port: 8095,
    because: null,
  },
] as const satisfies readonly Strategy[];

export type StrategyKey = (typeof STRATEGIES)[number]['key'];

/** The address of a strategy: the proxy's URL on the strategy's port. */
export function strategyUrl(proxyUrl: string, port: number): string {
  const url = new URL(proxyUrl);
  url.port = String(port);
  return url.href;
}
