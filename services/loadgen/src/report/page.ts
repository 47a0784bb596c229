import { escapeHtml } from '@hello-lab/shared/html';
import { PAGE_STYLE } from './styles.js';

/*
 * A report is one self-contained file that opens from disk with no network. Styles are inline,
 * charts are inline SVG, there is no script, and a Content-Security-Policy forbids loading anything else.
 */

// No script, no request of any kind: the report cannot leak or break when opened offline.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/**
 * A whole page around the contents of its <main>: the head with the policy, the shared style and
 * any style of the page's own (`extraStyle`), then the body. The title is text; it is escaped here.
 */
export function htmlPage(title: string, main: string, extraStyle = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}${extraStyle}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}
