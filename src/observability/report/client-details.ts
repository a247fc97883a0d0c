/**
 * The detail panel's part of the page script: shows one call's outcome, timeline,
 * attributes, request and responses. It runs inside the script's scope and uses its
 * helpers (`el`, `ms`, `outcome`, `timeline`, `data`, `details`), so it is only valid
 * spliced into `REPORT_SCRIPT` (client.ts).
 *
 * @example
 * ```ts
 * import { DETAILS_SCRIPT } from './client-details.js';
 * DETAILS_SCRIPT.includes('function show('); // true
 * ```
 */
export const DETAILS_SCRIPT = String.raw`
  function table(rows) {
    var t = el('table');
    var body = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('th', '', r[0]));
      tr.appendChild(el('td', '', r[1]));
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }
  function pretty(body) {
    if (typeof body === 'string') {
      try { return JSON.stringify(JSON.parse(body), null, 2); } catch (e) { return body; }
    }
    return JSON.stringify(body, null, 2);
  }
  function message(title, m) {
    var box = el('section', 'message');
    box.appendChild(el('h3', '', title));
    if (!m) { box.appendChild(el('p', 'muted', 'not recorded')); return box; }
    var headers = m.headers ? Object.keys(m.headers).map(function (k) { return [k, m.headers[k]]; }) : [];
    if (headers.length) box.appendChild(table(headers));
    else box.appendChild(el('p', 'muted', 'no headers'));
    if (m.body !== undefined && m.body !== '') box.appendChild(el('pre', 'body', pretty(m.body)));
    else box.appendChild(el('p', 'muted', m.body === '' ? 'empty body' : 'no body'));
    if (m.truncated) box.appendChild(el('p', 'muted', 'cut to the report size limit'));
    return box;
  }

  function show(id, bar) {
    var c = callsById[id];
    if (!c) return;
    if (selected) selected.classList.remove('selected');
    selected = bar;
    bar.classList.add('selected');
    details.textContent = '';
    details.setAttribute('data-call-id', c.id);
    details.appendChild(el('h2', '', c.connector + ' ' + c.name));
    var step = data.steps.filter(function (s) { return s.key === c.step; })[0];
    details.appendChild(table([
      ['outcome', outcome(c) + (c.error ? ' (' + c.error.code + ': ' + c.error.message + ')' : '')],
      ['duration', ms(callEnd(c) - c.start)],
      ['started', '+' + ms(c.start)],
      ['step', step ? step.stepId : 'none'],
      ['protocol', c.protocol],
      ['attempts', String(c.attempts.length) + (c.omitted ? ' (+' + c.omitted.attempts + ' not kept)' : '')]
    ]));
    details.appendChild(el('h3', '', 'Timeline'));
    var list = el('ol', 'timeline');
    timeline(c).forEach(function (i) { list.appendChild(el('li', '', '+' + ms(i.time - c.start) + ' ' + i.text)); });
    details.appendChild(list);
    var attrs = Object.keys(c.attributes || {}).map(function (k) { return [k, String(c.attributes[k])]; });
    if (attrs.length) { details.appendChild(el('h3', '', 'Attributes')); details.appendChild(table(attrs)); }
    var request = message('Request', c.request);
    var target = [c.attributes['http.request.method'], c.attributes['url.full'] || c.attributes['rpc.method'] || c.attributes['server.address']].filter(Boolean).join(' ');
    if (target) request.insertBefore(el('p', 'target', target), request.children[1] || null);
    details.appendChild(request);
    details.appendChild(message('Response', c.response));
    c.attempts.forEach(function (a) { if (a.response) details.appendChild(message('Response of attempt ' + a.attempt + ' (' + attemptOutcome(a) + ')', a.response)); });
  }

`;
