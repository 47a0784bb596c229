import { createHash } from 'node:crypto';
import { escapeHtml, hostnameHue } from '@hello-lab/shared/html';

// Lightness 26 %: white text keeps a contrast of at least 5.5:1 on every hue (WCAG AA).
// The style and script are constant: the page's data travels in data- attributes, so the
// Content-Security-Policy can allow exactly these two blocks by hash and nothing else.
const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;min-height:100%}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#fff;
  background:hsl(var(--hue) 62% 26%);display:flex;flex-direction:column;align-items:center;
  padding:clamp(16px,4vw,48px);min-height:100vh;transition:background .3s}
main{width:100%;max-width:960px}
.label{text-transform:uppercase;letter-spacing:.12em;font-size:.8rem;opacity:.85;margin:0}
h1{font-size:clamp(2.2rem,10vw,6rem);line-height:1.05;margin:.2em 0 .3em;
  overflow-wrap:anywhere;font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
.facts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0 0 2rem;padding:0;list-style:none}
.facts li{background:rgb(0 0 0/.18);border-radius:999px;padding:.3rem .9rem}
section{background:rgb(0 0 0/.2);border-radius:16px;padding:1rem 1.2rem}
h2{font-size:1rem;margin:0 0 .6rem}
ol{list-style:none;margin:0;padding:0}
ol li{display:grid;grid-template-columns:1rem minmax(0,1fr) auto;gap:.6rem;align-items:center;
  padding:.25rem 0;font-family:ui-monospace,Menlo,Consolas,monospace}
ol li.current{font-weight:700}
/* The current replica's colour is the page's: a white dot marks it instead. */
ol li.current .dot{background:#fff!important}
.dot{width:1rem;height:1rem;border-radius:50%;border:2px solid #fff}
.name{overflow-wrap:anywhere}
.bar{grid-column:2/4;height:6px;border-radius:3px;background:rgb(255 255 255/.85)}
.controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin-top:1rem}
button{font:inherit;color:inherit;background:rgb(0 0 0/.25);border:1px solid rgb(255 255 255/.5);
  border-radius:8px;padding:.3rem .8rem;cursor:pointer}
label{cursor:pointer}
footer{margin-top:1.5rem;opacity:.85;font-size:.85rem}
`;

const SCRIPT = `
(() => {
  const KEY = 'hello-lab:seen', AUTO = 'hello-lab:auto';
  const { hostname, hue } = document.body.dataset;
  let seen = {};
  try { seen = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch {}
  const entry = seen[hostname] || { count: 0, hue: Number(hue) };
  entry.count += 1;
  seen[hostname] = entry;
  try { localStorage.setItem(KEY, JSON.stringify(seen)); } catch {}
  const names = Object.keys(seen).sort();
  const total = names.reduce((sum, name) => sum + seen[name].count, 0);
  const list = document.getElementById('tally');
  for (const name of names) {
    const li = document.createElement('li');
    li.dataset.hostname = name;
    li.dataset.count = String(seen[name].count);
    if (name === hostname) li.className = 'current';
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.style.background = 'hsl(' + seen[name].hue + ' 62% 26%)';
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
    const count = document.createElement('span');
    count.textContent = seen[name].count + ' (' + Math.round(100 * seen[name].count / total) + '%)';
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = (100 * seen[name].count / total) + '%';
    li.append(dot, label, count, bar);
    list.append(li);
  }
  document.getElementById('summary').textContent =
    names.length + (names.length === 1 ? ' replica' : ' replicas') + ' in ' + total +
    (total === 1 ? ' page load' : ' page loads');
  document.getElementById('reset').addEventListener('click', () => {
    localStorage.removeItem(KEY);
    location.reload();
  });
  const auto = document.getElementById('auto');
  let timer;
  const schedule = () => {
    clearTimeout(timer);
    if (auto.checked) timer = setTimeout(() => location.reload(), 1000);
  };
  auto.checked = localStorage.getItem(AUTO) === '1';
  auto.addEventListener('change', () => {
    localStorage.setItem(AUTO, auto.checked ? '1' : '0');
    schedule();
  });
  schedule();
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const STYLE_HASH = sha256(STYLE);
const SCRIPT_HASH = sha256(SCRIPT);
const hueRule = (hue: number) => `:root{--hue:${hue}}`;

/** Allows the page's inline styles and script by hash, images only as data: URIs, nothing else. */
function contentSecurityPolicy(hue: number): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH} ${sha256(hueRule(hue))}`,
    `script-src ${SCRIPT_HASH}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface PageData {
  greeting: string;
  hostname: string;
  version: string;
  workMs: number;
}

export interface Page {
  html: string;
  /** The Content-Security-Policy header that lets this page run and forbids any other load. */
  csp: string;
}

/** The browser's view of one answer: a self-contained page that needs no second request. */
export function renderPage({ greeting, hostname, version, workMs }: PageData): Page {
  const hue = hostnameHue(hostname);
  const name = escapeHtml(hostname);
  const icon = encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="hsl(${hue} 62% 26%)"/></svg>`,
  );
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} · hello-lab</title>
<link rel="icon" href="data:image/svg+xml,${icon}">
<style>${hueRule(hue)}</style>
<style>${STYLE}</style>
</head>
<body data-hostname="${name}" data-hue="${hue}">
<main>
<p class="label">${escapeHtml(greeting)} from</p>
<h1 id="hostname">${name}</h1>
<ul class="facts">
<li>version <strong id="version">v${escapeHtml(version)}</strong></li>
<li>busy loop <strong>${workMs.toFixed(1)} ms</strong></li>
</ul>
<section aria-labelledby="seen">
<h2 id="seen">Replicas this browser has seen: <span id="summary"></span></h2>
<ol id="tally"></ol>
<div class="controls">
<label><input type="checkbox" id="auto"> refresh every second</label>
<button type="button" id="reset">reset tally</button>
</div>
</section>
<footer>Refresh the page: behind a round-robin proxy each load lands on the next replica.</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
  return { html, csp: contentSecurityPolicy(hue) };
}
