import { REPORT_SCRIPT } from './client.js';
import { escapeHtml, jsonForScript } from './embed.js';
import type { ReportData } from './model.js';
import { REPORT_CSS } from './styles.js';

/**
 * The whole report as one HTML page: header and notes as HTML, the rest built by the
 * inline script from the embedded data.
 *
 * @example
 * ```ts
 * import { renderPage } from './page.js';
 * declare const data: import('./model.js').ReportData;
 * const html = renderPage(data);
 * ```
 */
export function renderPage(data: ReportData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.title)} <span class="badge ${data.status}">${data.status}</span></h1>
${summary(data)}
</header>
${notes(data)}
<main>
<section id="waterfall" aria-labelledby="waterfall-title">
<h2 id="waterfall-title">Steps and requests</h2>
<div class="legend" aria-hidden="true"><span style="--c: var(--ok)">succeeded</span><span style="--c: var(--fail)">failed</span><span style="--c: var(--skip)">skipped</span><span style="--c: var(--wait)">waiting (backoff, rate limit)</span><span style="--c: #57606a">marker: retry, wait or refusal</span></div>
<noscript><p>Turn on JavaScript to see the waterfall; the data is in the script element "report-data".</p></noscript>
</section>
<aside id="details" tabindex="-1" aria-live="polite" aria-label="Request details">
<p class="empty">Select a request bar (click, or Tab to it and press Enter) to see its redacted request and response.</p>
</aside>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

function summary(data: ReportData): string {
  const c = data.counts;
  const items: [string, string][] = [
    ...(data.pipeline === undefined ? [] : [['pipeline', data.pipeline] as [string, string]]),
    ['started', new Date(data.startedAt).toISOString()],
    ['duration', formatMs(data.durationMs)],
    ['steps', `${c.steps} (${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} skipped)`],
    ['requests', `${c.calls} (${c.failedCalls} failed)`],
    ['attempts', String(c.attempts)],
    ['retries', String(c.retries)],
    ['waits', String(c.waits)],
    ['refusals', String(c.rejections)],
  ];
  return `<dl class="summary">${items.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
}

function notes(data: ReportData): string {
  const out: string[] = [];
  if (data.error) {
    const where = data.error.stepId === undefined ? '' : `step "${data.error.stepId}": `;
    out.push(`<p class="run-error" role="alert">${escapeHtml(`${where}${data.error.code}: ${data.error.message}`)}</p>`);
  }
  if (data.omitted.calls > 0) {
    out.push(`<p class="note">Showing the first ${data.limits.maxCalls} requests; ${data.omitted.calls} more were made but not recorded (report limit maxCalls).</p>`);
  }
  if (data.omitted.steps > 0) {
    out.push(`<p class="note">Showing the first ${data.limits.maxSteps} steps; ${data.omitted.steps} more ran but were not recorded (report limit maxSteps).</p>`);
  }
  if (data.omitted.bodies > 0) {
    out.push(`<p class="note">${data.omitted.bodies} request or response bodies were left out: the report's total body budget was spent. Bodies are also cut to ${data.limits.maxBodyBytes} characters each.</p>`);
  }
  return out.join('\n');
}

function formatMs(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
