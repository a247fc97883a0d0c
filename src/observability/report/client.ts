import { DETAILS_SCRIPT } from './client-details.js';

/**
 * The page's script: reads the embedded JSON and builds the waterfall and the detail
 * panel with DOM methods and `textContent` only, so no recorded value is ever parsed
 * as HTML. Plain ES2017 so any current browser runs it from file://.
 *
 * @example
 * ```ts
 * import { REPORT_SCRIPT } from './client.js';
 * const tag = `<script>${REPORT_SCRIPT}</script>`;
 * ```
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent || '{}');
  var waterfall = document.getElementById('waterfall');
  var details = document.getElementById('details');
  var now = data.generatedAt - data.startedAt;
  var callsById = {};
  var selected = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function ms(v) {
    if (v === undefined || v === null || isNaN(v)) return '?';
    if (v === 0) return '0 ms';
    if (v < 10) return v.toFixed(1) + ' ms';
    if (v < 10000) return Math.round(v) + ' ms';
    return (v / 1000).toFixed(2) + ' s';
  }
  function callEnd(c) { return c.end !== undefined ? c.end : now; }
  function stepEnd(s) { return s.end !== undefined ? s.end : now; }

  var total = Math.max(1, data.durationMs || 0);
  data.steps.forEach(function (s) { if (s.start !== undefined) total = Math.max(total, stepEnd(s)); });
  data.calls.forEach(function (c) { total = Math.max(total, callEnd(c)); });
  function pct(t) { return (Math.max(0, Math.min(t, total)) / total) * 100; }
  function place(node, from, to) {
    node.style.left = pct(from) + '%';
    node.style.width = Math.max(0, pct(to) - pct(from)) + '%';
  }

  function outcome(c) {
    if (c.end === undefined) return 'running';
    if (c.status !== undefined) return String(c.status);
    if (c.error) return c.error.code;
    return c.ok ? 'ok' : 'failed';
  }
  function attemptOutcome(a) {
    if (a.end === undefined) return 'running';
    if (a.status !== undefined) return String(a.status);
    if (a.error) return a.error.code;
    return a.ok ? 'ok' : 'failed';
  }
  function describeEvent(e) {
    var a = e.attributes || {};
    switch (e.name) {
      case 'retry': return 'retry ' + (a.attempt !== undefined ? a.attempt + ' ' : '') + 'in ' + ms(a['retry.delay_ms']) + (a['retry.reason'] ? ' (' + a['retry.reason'] + ')' : '');
      case 'rate_limit.wait': return 'waited ' + ms(a['rate_limit.wait_ms']) + ' for a rate-limit token';
      case 'rate_limit.rejected': return 'refused by the rate limiter';
      case 'circuit_breaker.rejected': return 'refused by the circuit breaker (' + (a['circuit_breaker.state'] || 'open') + ')';
      case 'bulkhead.wait': return 'waited for a bulkhead slot';
      case 'bulkhead.rejected': return 'refused by the bulkhead';
      default: return e.name;
    }
  }
  function timeline(c) {
    var items = [];
    c.attempts.forEach(function (a) {
      items.push({ time: a.start, text: 'attempt ' + a.attempt + ': ' + attemptOutcome(a) + (a.end !== undefined ? ' in ' + ms(a.end - a.start) : '') + (a.error ? ' (' + a.error.message + ')' : '') });
    });
    c.events.forEach(function (e) { items.push({ time: e.time, text: describeEvent(e) }); });
    items.sort(function (x, y) { return x.time - y.time; });
    return items;
  }
  function tooltip(c) {
    var lines = [c.connector + ' ' + c.name + ' (' + c.protocol + ')', outcome(c) + ' in ' + ms(callEnd(c) - c.start) + ', ' + c.attempts.length + ' attempt' + (c.attempts.length === 1 ? '' : 's')];
    timeline(c).forEach(function (i) { lines.push('+' + ms(i.time - c.start) + ' ' + i.text); });
    return lines.join('\n');
  }

  function axis() {
    var row = el('div', 'axis');
    row.setAttribute('aria-hidden', 'true');
    row.appendChild(el('div', 'label muted', 'time since start'));
    var ticks = el('div', 'ticks');
    var raw = total / 6;
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * mag; }).filter(function (s) { return s >= raw; })[0] || raw;
    for (var t = 0; t <= total + 1e-9; t += step) {
      var tick = el('div', 'tick', ms(t));
      tick.style.left = pct(t) + '%';
      ticks.appendChild(tick);
    }
    row.appendChild(ticks);
    return row;
  }

  function stepRow(s) {
    var item = /\[\d+\]$/.test(s.stepId);
    var row = el('div', 'row step-row ' + s.status + (item ? ' item' : ''));
    row.setAttribute('role', 'listitem');
    row.setAttribute('data-step-id', s.stepId);
    var label = el('div', 'label');
    label.appendChild(el('span', '', s.stepId));
    if (s.status !== 'none') label.appendChild(el('span', 'badge status ' + s.status, s.status));
    var took = s.start !== undefined && s.end !== undefined ? ' ' + ms(s.end - s.start) : '';
    if (took) label.appendChild(el('span', 'muted', took));
    label.title = s.stepId + ': ' + s.status + took + (s.reason ? ' (' + s.reason + ')' : '') + (s.error ? ' (' + s.error.code + ': ' + s.error.message + ')' : '');
    row.appendChild(label);
    var track = el('div', 'track');
    if (s.start !== undefined) {
      var bar = el('div', 'step-bar');
      place(bar, s.start, stepEnd(s));
      track.appendChild(bar);
    } else if (s.reason) {
      track.appendChild(el('span', 'muted', s.reason));
    }
    row.appendChild(track);
    return row;
  }

  function segment(className, from, to, c) {
    var span = Math.max(callEnd(c) - c.start, 1e-6);
    var node = el('span', 'segment ' + className);
    node.style.left = (Math.max(0, Math.min(from - c.start, span)) / span) * 100 + '%';
    node.style.width = (Math.max(0, Math.min(to, callEnd(c)) - Math.max(from, c.start)) / span) * 100 + '%';
    return node;
  }
  function marker(className, at, c, label) {
    var span = Math.max(callEnd(c) - c.start, 1e-6);
    var node = el('span', 'marker ' + className);
    node.style.left = (Math.max(0, Math.min(at - c.start, span)) / span) * 100 + '%';
    node.setAttribute('data-event', label);
    return node;
  }

  function callRow(c) {
    callsById[c.id] = c;
    var row = el('div', 'row call-row');
    row.setAttribute('role', 'listitem');
    var label = el('div', 'label', c.connector + ' · ' + c.name);
    label.title = c.connector + ' ' + c.name;
    row.appendChild(label);
    var track = el('div', 'track');
    var failed = c.ok === false;
    var bar = el('button', 'request-bar' + (failed ? ' failed' : '') + (c.end === undefined ? ' running' : ''));
    bar.type = 'button';
    bar.setAttribute('data-call-id', c.id);
    bar.setAttribute('aria-controls', 'details');
    bar.setAttribute('aria-label', c.connector + ' ' + c.name + ': ' + outcome(c) + ' in ' + ms(callEnd(c) - c.start) + ', ' + c.attempts.length + ' attempts. Show request and response.');
    bar.title = tooltip(c);
    place(bar, c.start, callEnd(c));
    c.events.forEach(function (e) {
      var a = e.attributes || {};
      var wait = e.name === 'retry' ? a['retry.delay_ms'] : e.name === 'rate_limit.wait' ? a['rate_limit.wait_ms'] : undefined;
      if (typeof wait === 'number' && wait > 0) bar.appendChild(segment('wait', e.time, e.time + wait, c));
    });
    c.attempts.forEach(function (a) {
      var end = a.end !== undefined ? a.end : callEnd(c);
      bar.appendChild(segment('attempt ' + (a.ok === true ? 'ok' : a.ok === false ? 'fail' : 'running'), a.start, end, c));
    });
    c.events.forEach(function (e) {
      var kind = e.name === 'retry' ? 'retry' : /\.rejected$/.test(e.name) ? 'rejected' : 'wait';
      bar.appendChild(marker(kind, e.time, c, e.name));
    });
    bar.addEventListener('click', function () { show(c.id, bar); });
    track.appendChild(bar);
    row.appendChild(track);
    return row;
  }

${DETAILS_SCRIPT}
  var list = el('div', 'rows');
  list.setAttribute('role', 'list');
  var byStep = {};
  data.calls.forEach(function (c) { var k = c.step === null ? '' : c.step; (byStep[k] = byStep[k] || []).push(c); });
  // foreach items ("fetch[3]") stay under their step; groups follow each other by start time.
  var rootOf = function (s) { var i = s.stepId.indexOf('['); return i < 0 ? s.stepId : s.stepId.slice(0, i); };
  var groupStart = {};
  data.steps.forEach(function (s) {
    var r = rootOf(s);
    if (s.start !== undefined && (groupStart[r] === undefined || s.start < groupStart[r])) groupStart[r] = s.start;
  });
  var order = function (x) { return x === undefined ? Infinity : x; };
  var steps = data.steps.slice().sort(function (a, b) {
    var ra = rootOf(a), rb = rootOf(b);
    if (ra !== rb) return order(groupStart[ra]) - order(groupStart[rb]) || (ra < rb ? -1 : 1);
    if ((a.stepId === ra) !== (b.stepId === rb)) return a.stepId === ra ? -1 : 1;
    return order(a.start) - order(b.start);
  });
  waterfall.appendChild(axis());
  steps.forEach(function (s) {
    list.appendChild(stepRow(s));
    (byStep[s.key] || []).forEach(function (c) { list.appendChild(callRow(c)); });
  });
  if (byStep['']) {
    list.appendChild(stepRow({ key: '', stepId: 'outside any step', status: 'none', start: undefined }));
    byStep[''].forEach(function (c) { list.appendChild(callRow(c)); });
  }
  waterfall.appendChild(list);
  if (data.calls.length === 0 && data.steps.length === 0) waterfall.appendChild(el('p', 'muted', 'Nothing was recorded.'));
})();
`;
