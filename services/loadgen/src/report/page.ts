import { escapeHtml } from '@hello-lab/shared/html';
import { PAGE_STYLE } from './styles.js';
import { CHART_SCRIPT, UPLOT_CSS } from './uplot-charts.js';

/*
 * A report is one self-contained file that opens from disk with no network. Styles are inline;
 * a page with charts over time carries uPlot and the script that draws them inline, allowed by its
 * hash; a Content-Security-Policy forbids loading anything else.
 */

// No request of any kind: the report cannot leak or break when opened offline. The one script a
// page may run is its own chart script, by hash.
const policy = (charts: boolean) =>
  [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    ...(charts ? [`script-src ${CHART_SCRIPT.hash}`] : []),
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

/**
 * A whole page around the contents of its <main>: the head with the policy, the shared style and
 * any style of the page's own (`extraStyle`), then the body; with `charts`, uPlot and the script
 * that draws the page's chart boxes (uplot-charts.ts). The title is text; it is escaped here.
 */
export function htmlPage(title: string, main: string, extraStyle = '', { charts = false } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy(charts)}">
<title>${escapeHtml(title)}</title>
<style>${charts ? UPLOT_CSS : ''}${PAGE_STYLE}${extraStyle}</style>
</head>
<body>
<main>
${main}
</main>
${charts ? `<script>${CHART_SCRIPT.text}</script>\n` : ''}</body>
</html>
`;
}
