/**
 * The page's whole style sheet, inlined so the file works offline and from file://.
 *
 * @example
 * ```ts
 * import { REPORT_CSS } from './styles.js';
 * const tag = `<style>${REPORT_CSS}</style>`;
 * ```
 */
export const REPORT_CSS = `
:root { --ok: #1a7f37; --fail: #cf222e; --skip: #8c959f; --run: #9a6700; --wait: #bf8700; --bar: #0969da;
  --bg: #ffffff; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --panel: #f6f8fa; --label: 36%; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 16px 0 8px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
.summary { display: flex; flex-wrap: wrap; gap: 8px 20px; margin: 0; color: var(--muted); }
.summary div { display: flex; gap: 6px; }
.summary dt { font-weight: 600; }
.summary dd { margin: 0; color: var(--fg); }
.badge { display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.badge.succeeded, .badge.ok { background: var(--ok); }
.badge.failed, .badge.fail { background: var(--fail); }
.badge.skipped { background: var(--skip); }
.badge.running { background: var(--run); }
.note { margin: 8px 24px; padding: 8px 12px; border: 1px solid var(--wait); background: #fff8c5; border-radius: 6px; }
.run-error { margin: 8px 24px; padding: 8px 12px; border: 1px solid var(--fail); background: #ffebe9; border-radius: 6px; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(320px, 38%); gap: 0; }
#waterfall { padding: 8px 24px 24px; overflow-x: auto; }
.axis, .row { display: grid; grid-template-columns: var(--label) 1fr; align-items: center; min-height: 24px; }
.axis { position: sticky; top: 0; background: var(--bg); z-index: 2; border-bottom: 1px solid var(--line); height: 28px; }
.ticks, .track { position: relative; height: 100%; min-height: 22px; }
.tick { position: absolute; top: 0; bottom: 0; border-left: 1px solid var(--line); padding-left: 3px; font-size: 11px; color: var(--muted); white-space: nowrap; }
.row { border-bottom: 1px solid #eaeef2; }
.row .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-right: 8px; }
.step-row { background: var(--panel); font-weight: 600; }
.step-row.item .label { padding-left: 14px; font-weight: 500; }
.row .label .muted { margin-left: 6px; font-weight: 400; }
.call-row .label { padding-left: 22px; color: var(--muted); font-size: 13px; }
.step-bar { position: absolute; top: 6px; height: 12px; min-width: 3px; border-radius: 3px; background: var(--bar); opacity: .8; }
.step-row.succeeded .step-bar { background: var(--ok); }
.step-row.failed .step-bar { background: var(--fail); }
.step-row.running .step-bar { background: var(--run); }
.request-bar { position: absolute; top: 3px; height: 18px; min-width: 6px; padding: 0; border: 1px solid #57606a; border-radius: 3px;
  background: repeating-linear-gradient(45deg, #eaeef2, #eaeef2 3px, #f6f8fa 3px, #f6f8fa 6px); cursor: pointer; overflow: visible; }
.request-bar:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.request-bar.selected { box-shadow: 0 0 0 2px #0969da; }
.request-bar.failed { border-color: var(--fail); }
.segment { position: absolute; top: 0; bottom: 0; min-width: 2px; }
.segment.attempt { background: var(--bar); }
.segment.attempt.ok { background: var(--ok); }
.segment.attempt.fail { background: var(--fail); }
.segment.wait { background: var(--wait); opacity: .7; }
.marker { position: absolute; top: -4px; width: 0; height: 24px; border-left: 2px dashed var(--fg); pointer-events: none; }
.marker.retry { border-color: var(--wait); }
.marker.rejected { border-left-style: solid; border-color: var(--fail); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 10px 0; color: var(--muted); font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; background: var(--c); }
#details { border-left: 1px solid var(--line); padding: 8px 20px 24px; background: var(--panel); min-height: 60vh; }
#details:focus { outline: none; }
#details .empty { color: var(--muted); }
#details table { border-collapse: collapse; width: 100%; font-size: 12px; margin-bottom: 8px; }
#details th, #details td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 3px 6px; word-break: break-all; }
#details th { width: 34%; color: var(--muted); font-weight: 600; }
pre { margin: 0; padding: 8px; background: #fff; border: 1px solid var(--line); border-radius: 6px; max-height: 360px; overflow: auto; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
.muted { color: var(--muted); }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } #details { border-left: 0; border-top: 1px solid var(--line); } }
`;
