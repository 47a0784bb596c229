// make perf: parse the options, measure, report. Each job is its own module; this file wires them.
import { buildReport } from './figures.js';
import { Interrupted, interrupt, Lab } from './lab.js';
import { measureAll } from './measure.js';
import { helpText, parsePerfOptions, UsageError, wantsHelp } from './options.js';
import { renderMarkdown } from './render.js';
import { writeReports } from './write-reports.js';

const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`==> [${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
const fail = (message: string) => process.stderr.write(`perf: ${message}\n`);

async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  let options: ReturnType<typeof parsePerfOptions>;
  try {
    options = parsePerfOptions(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      fail(error.message);
      return 2;
    }
    throw error;
  }

  const lab = new Lab(options);
  // Ctrl-C or a TERM: stop what runs, then take the project down below; a second one exits at once.
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(130);
    signalled = true;
    log('stopping: taking the perf project down');
    interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  log(
    `project ${options.project}${options.quick ? ', quick sizes' : ''}; this takes ${options.quick ? 'a few minutes' : 'about fourteen minutes'}`,
  );
  let status = 0;
  try {
    const measurements = await measureAll(lab, options, log);
    const report = buildReport(measurements, new Date());
    const markdown = renderMarkdown(report);
    const files = await writeReports(options.reports, { ...report, measurements }, markdown);
    process.stdout.write(`${markdown}\nReports: ${files.join(', ')}\n`);
  } catch (error) {
    status = error instanceof Interrupted || signalled ? 130 : 1;
    if (status === 1) fail(error instanceof Error ? error.message : String(error));
  } finally {
    await lab
      .down()
      .catch((error: Error) => fail(`could not take ${options.project} down: ${error.message}`));
  }
  return status;
}

process.exitCode = await main(process.argv.slice(2));
