import { UsageError } from '@hello-lab/shared/options';
import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { buildOperatorApp } from './operator.js';

/** The kernel caps it at net.core.somaxconn (4096 in a container's namespace by default). */
const LISTEN_BACKLOG = 4096;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    // A bad setting is the operator's to fix: one line, no stack trace.
    if (error instanceof UsageError) {
      process.stderr.write(`hello: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const config = readConfig();

const log = pino({
  level: config.LOG_LEVEL,
  // JSON lines for log collectors; readable colours when a person watches a terminal.
  ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}),
});

const app = buildApp(config, {
  log,
  keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
  requestTimeout: 30_000,
  // Idle keep-alive connections are closed at shutdown; busy ones finish their request first.
  forceCloseConnections: 'idle',
});
// The operator's routes share the app's sick state but not its port: no proxy sends there.
const operator = buildOperatorApp(app.sick, app.identity, { log });

closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'shutting down after an error');
  else log.info({ signal }, 'shutting down');
  if (config.DRAIN === 'off') {
    log.warn('DRAIN=off: exiting without finishing the requests in flight');
    process.exit(0);
  }
  app.lifecycle.draining = true;
  if (config.SHUTDOWN_DELAY_MS > 0) {
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
  }
  await app.close();
  await operator.close();
});

try {
  // Under overload the proxy opens hundreds of connections at once while the busy loop holds
  // the event loop. The kernel completes them into this queue, to be accepted between answers;
  // Node's default of 511 overflows, and a dropped connection costs the proxy a 1 s connect
  // timeout and a try on another replica.
  const address = await app.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
  const operatorAddress = await operator.listen({ port: config.OPERATOR_PORT, host: config.HOST });
  log.info(
    { address, operatorAddress, version: app.identity.version, workIterations: config.WORK_ITERATIONS },
    'ready',
  );
} catch (error) {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
}
