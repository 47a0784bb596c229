// The live page's requests without the browser: the same range queries (the dashboard's own
// builders), for the same seconds, every second, through the published port of the job's nginx.
// A page just opened asks for the whole window first, then for the last seconds.
import { REFRESH_MS, refreshPaths } from '@hello-lab/dashboard/schedule';

export interface PageQueries {
  /** Stops after the refresh in flight; resolves with the requests sent and those that failed. */
  stop(): Promise<{ requests: number; failed: number }>;
}

/** Answered, and with the JSON a chart can draw. */
async function answered(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { cache: 'no-store' });
    const body = (await response.json()) as { status?: unknown };
    return response.ok && body.status === 'success';
  } catch {
    return false;
  }
}

/** Starts refreshing as an open page does; `labUrl` is the page's address, ending in /lab/. */
export function startPageQueries(labUrl: string): PageQueries {
  let stopped = false;
  let requests = 0;
  let failed = 0;
  let shownTo: number | undefined;
  const loop = (async () => {
    while (!stopped) {
      const to = Math.floor(Date.now() / 1000);
      const results = await Promise.all(
        refreshPaths(to, shownTo).map((path) => answered(`${labUrl}${path}`)),
      );
      requests += results.length;
      failed += results.filter((ok) => !ok).length;
      shownTo = to;
      // The page waits a second after each refresh has been drawn, not on a fixed clock.
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { requests, failed };
    },
  };
}
