/** The style every report page shares; a page adds its own after it (htmlPage's `extraStyle`). */
export const PAGE_STYLE = `
*{box-sizing:border-box}
:root{--bg:#f4f5f7;--card:#fff;--text:#111827;--muted:#6b7280;--line:#e5e7eb;--track:#eef0f3;--accent:#2563eb;
  color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#181b21;--text:#e5e7eb;--muted:#9ca3af;
  --line:#2a2f38;--track:#252a33;--accent:#60a5fa}}
body{margin:0;background:var(--bg);color:var(--text);
  font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:clamp(14px,3vw,32px)}
header{margin-bottom:18px}
.eyebrow{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.1em;font-size:.75rem}
h1{margin:.15em 0;font-size:clamp(1.5rem,4.5vw,2.3rem);line-height:1.15;overflow-wrap:anywhere}
.run{margin:0;color:var(--muted);overflow-wrap:anywhere}
code,.name,dd{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.9em}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:0 0 14px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:10px 14px}
.kpi span{display:block;color:var(--muted);font-size:.8rem}
.kpi strong{display:block;font-size:clamp(1.15rem,4.4vw,1.45rem);line-height:1.3;font-variant-numeric:tabular-nums}
.kpi small{color:var(--muted)}
.limit{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--accent);border-radius:12px;
  padding:12px 16px;margin:0 0 14px}
.limit p{margin:0}.limit p+p{margin-top:6px;color:var(--muted);font-size:.9rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:14px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;min-width:0}
section.wide{grid-column:1/-1}
h2{font-size:1rem;margin:0 0 10px}
h3{font-size:.85rem;margin:14px 0 6px;color:var(--muted);font-weight:600}
.bars{list-style:none;margin:0;padding:0}
.bars li{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:2px 10px;padding:4px 0}
.bars .name{overflow-wrap:anywhere}
.bars .value{font-variant-numeric:tabular-nums;color:var(--muted);white-space:nowrap}
.bars svg.bar{grid-column:1/-1;width:100%;height:10px;display:block}
.bars.latency li{grid-template-columns:3.6rem minmax(0,1fr) 4.6rem;align-items:center}
.bars.latency svg.bar{grid-column:2;grid-row:1}
.bars.latency .value{grid-column:3;grid-row:1;text-align:right}
.track{fill:var(--track)}
.chart{margin:0}
.chart .axis-top{color:var(--muted);font-size:.8rem}
svg.plot,div.plot{display:block;width:100%;height:180px;border-bottom:1px solid var(--muted);border-left:1px solid var(--line)}
.gridline{stroke:var(--line);stroke-width:1;stroke-dasharray:3 3}
.line{fill:none;stroke:var(--accent);stroke-width:2}
figcaption{display:flex;justify-content:space-between;gap:8px;color:var(--muted);font-size:.78rem;margin-top:2px}
.plot-box{position:relative}
svg.event-lines{position:absolute;inset:0;width:100%;height:100%;pointer-events:none;overflow:visible}
.event-line{stroke-width:2;stroke-dasharray:4 3}
.event-flags{list-style:none;position:relative;margin:2px 0 0;padding:0}
.event-flags li,.events .flag{color:#fff;font-size:.72rem;font-weight:700;line-height:18px;min-width:18px;height:18px;
  padding:0 4px;border-radius:9px;text-align:center;font-variant-numeric:tabular-nums}
.event-flags li{position:absolute;transform:translateX(-50%)}
.events{list-style:none;margin:0;padding:0}
.events li{display:grid;grid-template-columns:auto 4.5rem minmax(0,9rem) minmax(0,1fr);gap:2px 10px;
  align-items:baseline;padding:5px 0;border-top:1px solid var(--line)}
.events li:first-child{border-top:0}
.events .at{font-variant-numeric:tabular-nums;text-align:right}
.events .kind{font-weight:600;overflow-wrap:anywhere}
.events .detail{overflow-wrap:anywhere}
.events time{grid-column:2/-1;color:var(--muted);font-size:.78rem}
@media (max-width:520px){.events li{grid-template-columns:auto 4rem minmax(0,1fr)}.events .detail{grid-column:2/-1}}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0 0;padding:0;font-size:.85rem}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
dl{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:4px 14px;margin:0}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
@media (max-width:520px){dl{grid-template-columns:minmax(0,1fr)}dd{margin-bottom:6px}}
.scroll{overflow-x:auto}
table.figures{border-collapse:collapse;width:100%;font-size:.88rem;font-variant-numeric:tabular-nums}
.figures th,.figures td{padding:5px 8px;text-align:right;white-space:nowrap;border-bottom:1px solid var(--line)}
.figures th{color:var(--muted);font-weight:600}
.figures th:first-child,.figures td:first-child,.figures th:last-child,.figures td:last-child{text-align:left}
footer{color:var(--muted);font-size:.8rem;margin-top:18px}
`;
