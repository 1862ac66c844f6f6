// The dashboard: vanilla JavaScript, no build step. It keeps the system key in this tab (sessionStorage), sends it as
// x-functions-key on every call, and polls the current view every 2 seconds so waits and phases move on their own.
'use strict';

const KEY_STORAGE = 'provisioning.dashboard.key';
const POLL_MS = 2000;
const DURABLE = '/runtime/webhooks/durabletask';

const state = { pages: [null], page: 0, filters: {}, timer: null, busy: false, view: null };

// ---- key and HTTP -------------------------------------------------------------------------------------------------

function takeKeyFromUrl() {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  if (code) {
    sessionStorage.setItem(KEY_STORAGE, code);
    url.searchParams.delete('code');
    // The key leaves the address bar (and the history) once it is kept.
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
}

const key = () => sessionStorage.getItem(KEY_STORAGE);

class KeyRefused extends Error {}

async function api(path, options = {}) {
  const headers = Object.assign({ 'x-functions-key': key() || '' }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    const problem = await response.json().catch(() => ({}));
    throw new KeyRefused(problem.detail || 'The key was refused.');
  }
  return response;
}

async function json(path, options) {
  const response = await api(path, options);
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || `${response.status} ${response.statusText}`);
  }
  return { body: await response.json(), headers: response.headers };
}

function askForKey(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  stopPolling();
  document.getElementById('view').replaceChildren();
  document.getElementById('key-panel').hidden = false;
  document.getElementById('key-error').textContent = message || '';
  document.getElementById('key-input').focus();
}

// ---- small DOM helpers ----------------------------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const runLink = (id, text) => el('a', { href: '#/run/' + encodeURIComponent(id), text: text || id });
const statusBadge = status => el('span', { class: 'status ' + status, 'data-testid': 'runtime-status', text: status });
const time = value => value ? new Date(value).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
const seconds = value => value === null || value === undefined ? '' : `${Number(value).toFixed(1)} s`;
const kindName = kind => typeof kind === 'number' ? (['Identity', 'RoleAssignment', 'ContainerGroup'][kind] || String(kind)) : kind;

function ago(value) {
  if (!value) return '';
  const delta = (Date.now() - new Date(value).getTime()) / 1000;
  if (delta < 60) return `${Math.max(0, Math.round(delta))} s ago`;
  if (delta < 3600) return `${Math.round(delta / 60)} min ago`;
  return `${Math.round(delta / 3600)} h ago`;
}

function until(value) {
  if (!value) return '';
  const delta = Math.round((new Date(value).getTime() - Date.now()) / 1000);
  return delta > 0 ? `in ${delta} s` : 'now';
}

// ---- routing and polling --------------------------------------------------------------------------------------------

function route() {
  const hash = window.location.hash || '#/runs';
  const [, name, ...rest] = hash.split('/');
  return { name: name || 'runs', arg: rest.length ? decodeURIComponent(rest.join('/')) : null };
}

function stopPolling() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

async function show() {
  if (!key()) { askForKey(); return; }
  document.getElementById('key-panel').hidden = true;
  const { name, arg } = route();
  for (const link of document.querySelectorAll('[data-nav]')) link.classList.toggle('active', link.dataset.nav === name || (name === 'run' && link.dataset.nav === 'runs'));
  const view = document.getElementById('view');
  const renderers = { runs: renderRuns, run: renderRun, workloads: renderWorkloads, sandbox: renderSandbox };
  const render = renderers[name] || renderRuns;
  state.view = { name, arg, render, fresh: true };
  stopPolling();
  view.replaceChildren();
  await refresh();
  state.timer = setInterval(refresh, POLL_MS);
}

async function refresh() {
  if (state.busy || !state.view) return;
  state.busy = true;
  const live = document.getElementById('live');
  try {
    await state.view.render(document.getElementById('view'), state.view.arg, state.view.fresh);
    state.view.fresh = false;
    live.classList.remove('stale');
    live.textContent = 'live · ' + new Date().toLocaleTimeString();
  } catch (error) {
    if (error instanceof KeyRefused) askForKey(error.message);
    else { live.classList.add('stale'); live.textContent = 'stale: ' + error.message; }
  } finally {
    state.busy = false;
  }
}

// ---- runs list ------------------------------------------------------------------------------------------------------

async function renderRuns(view, _arg, fresh) {
  if (fresh) {
    view.append(document.getElementById('runs-template').content.cloneNode(true));
    const form = view.querySelector('#filters');
    for (const [name, value] of Object.entries(state.filters)) if (form.elements[name]) form.elements[name].value = value;
    form.addEventListener('submit', event => {
      event.preventDefault();
      state.filters = Object.fromEntries(new FormData(form).entries());
      state.pages = [null];
      state.page = 0;
      refresh();
    });
    view.querySelector('[data-page=next]').addEventListener('click', () => { state.page += 1; refresh(); });
    view.querySelector('[data-page=prev]').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); refresh(); });
    fillLanes(form.elements.lane, state.filters.lane);
  }

  const query = new URLSearchParams();
  const f = state.filters;
  if (f.status) query.set('runtimeStatus', f.status);
  if (f.template) query.set('template', f.template);
  if (f.lane) query.set('lane', f.lane);
  if (f.from) query.set('createdTimeFrom', new Date(f.from).toISOString());
  if (f.to) query.set('createdTimeTo', new Date(f.to).toISOString());
  query.set('top', f.top || '25');
  const token = state.pages[state.page];
  const { body, headers } = await json('/dashboard/api/runs?' + query, { headers: token ? { 'x-ms-continuation-token': token } : {} });
  const next = headers.get('x-ms-continuation-token');
  state.pages.length = state.page + 1;
  if (next) state.pages.push(next);

  const rows = body.map(run => el('tr', { 'data-run': run.instanceId },
    el('td', { class: 'id mono' }, runLink(run.instanceId)),
    el('td', {}, statusBadge(run.runtimeStatus)),
    el('td', { class: 'phase', 'data-testid': 'phase' }, run.phase || '', run.attempt > 1 ? ` (attempt ${run.attempt})` : ''),
    el('td', {}, run.template || run.name),
    el('td', {}, run.workload || ''),
    el('td', {}, time(run.createdAt)),
    el('td', {}, ago(run.lastUpdatedAt)),
    el('td', {}, run.message || '')));
  view.querySelector('tbody').replaceChildren(...rows);
  view.querySelector('.empty').hidden = rows.length > 0;
  view.querySelector('[data-page=prev]').disabled = state.page === 0;
  view.querySelector('[data-page=next]').disabled = !next;
  view.querySelector('.page-number').textContent = `page ${state.page + 1}`;
}

async function fillLanes(select, chosen) {
  try {
    const { body } = await json('/dashboard/api/workloads');
    for (const lane of body.lanes) select.append(el('option', { value: lane.lane, text: `${lane.workload} (${lane.resourceGroup})`, selected: lane.lane === chosen }));
  } catch { /* the list works without the lane choices */ }
}

// ---- one run --------------------------------------------------------------------------------------------------------

async function renderRun(view, id) {
  const { body: run } = await json('/dashboard/api/runs/' + encodeURIComponent(id));
  const s = run.customStatus || {};
  const r = run.run;
  const going = ['Pending', 'Running', 'Suspended'].includes(r.runtimeStatus);
  const finished = ['Completed', 'Failed', 'Terminated'].includes(r.runtimeStatus);
  const openDetails = new Set([...view.querySelectorAll('details[open]')].map(d => d.dataset.key));

  const facts = el('dl', { class: 'facts' },
    el('dt', { text: 'Status' }), el('dd', {}, statusBadge(r.runtimeStatus)),
    el('dt', { text: 'Phase' }), el('dd', { class: 'phase', 'data-testid': 'run-phase', text: s.phase || '—' }),
    el('dt', { text: 'Attempt' }), el('dd', { 'data-testid': 'run-attempt', text: s.attempt ?? '—' }),
    el('dt', { text: 'Next retry' }), el('dd', { 'data-testid': 'next-retry', text: s.nextRetryAt && going ? `${time(s.nextRetryAt)} (${until(s.nextRetryAt)})` : '—' }),
    el('dt', { text: 'Waited for Azure' }), el('dd', { 'data-testid': 'waited', text: seconds(s.waitedSeconds) || '—' }),
    el('dt', { text: 'Message' }), el('dd', { 'data-testid': 'run-message', text: s.message || '—' }),
    el('dt', { text: 'Template' }), el('dd', { text: r.template || r.name }),
    el('dt', { text: 'Workload' }), el('dd', { text: r.workload || '—' }),
    el('dt', { text: 'Created' }), el('dd', { text: time(r.createdAt) }),
    el('dt', { text: 'Last update' }), el('dd', { text: `${time(r.lastUpdatedAt)} (${ago(r.lastUpdatedAt)})` }),
    run.failure ? [el('dt', { text: 'Failure' }), el('dd', { class: 'error', 'data-testid': 'failure', text: run.failure })] : null);

  const actions = el('div', { class: 'actions' },
    el('button', { type: 'button', 'data-action': 'cancel', disabled: !going, title: 'Raise the Cancel event: the run stops and deletes what it created', onclick: () => act(r.instanceId, 'cancel') }, 'Cancel (compensate)'),
    el('button', { type: 'button', 'data-action': 'terminate', class: 'danger', disabled: !going, title: 'Stop at once, without compensation', onclick: () => act(r.instanceId, 'terminate') }, 'Terminate'),
    el('button', { type: 'button', 'data-action': 'restart', disabled: !finished, onclick: () => act(r.instanceId, 'restart') }, 'Restart'),
    el('button', { type: 'button', 'data-action': 'purge', class: 'danger', disabled: !finished, onclick: () => act(r.instanceId, 'purge') }, 'Purge'));

  const created = s.created || [];
  const deleted = (s.compensation && s.compensation.deleted) || [];
  const failedDeletes = (s.compensation && s.compensation.failed) || [];
  const resourceTable = (rows, testid) => el('table', { class: 'grid', 'data-testid': testid },
    el('thead', {}, el('tr', {}, el('th', { text: 'Kind' }), el('th', { text: 'Resource' }))),
    el('tbody', {}, rows.map(x => el('tr', {}, el('td', { text: kindName(x.kind) }), el('td', { class: 'mono', text: x.id })))));

  const phaseSeconds = run.output && run.output.phaseSeconds;
  const content = [
    el('p', {}, el('a', { href: '#/runs', text: '← Runs' })),
    el('h2', { class: 'mono', 'data-testid': 'run-id', text: r.instanceId }),
    el('p', { class: 'error', id: 'action-error', role: 'alert' }),
    facts,
    actions,
    el('h3', { text: 'Timeline' }),
    gantt(run.timeline, r, s, going),
    el('h3', { text: 'Steps' }),
    el('p', { class: 'legend', text: 'Each activity is one step of the run, with the resource it worked on.' }),
    stepsTable(run.timeline),
    el('h3', { text: `ARM calls (${run.armCalls.length})` }),
    el('p', { class: 'legend', text: 'The HTTP calls the steps made, retries included, as seen by this host since it started (the durable history does not keep them).' }),
    armCallsTable(run.armCalls),
    el('h3', { text: `Created by this run (${created.length})` }),
    created.length ? resourceTable(created, 'created') : el('p', { class: 'empty', text: 'Nothing yet.' }),
    el('h3', { text: 'Compensation' }),
    s.compensation
      ? el('div', { 'data-testid': 'compensation' },
          el('p', { text: `Deleted ${deleted.length} resource(s)` + (failedDeletes.length ? `; could NOT delete ${failedDeletes.length}` : '') + '.' }),
          resourceTable(deleted, 'deleted'),
          failedDeletes.length ? el('table', { class: 'grid', 'data-testid': 'delete-failures' }, el('tbody', {}, failedDeletes.map(x => el('tr', {}, el('td', { class: 'mono', text: x.resource.id }), el('td', { class: 'error', text: x.error }))))) : null)
      : el('p', { class: 'empty', text: going ? 'Not run: compensation runs after a failure or a cancel.' : 'None.' }),
    phaseSeconds ? [el('h3', { text: 'Time per phase' }), el('table', { class: 'grid', 'data-testid': 'phase-seconds' }, el('tbody', {}, Object.entries(phaseSeconds).map(([p, v]) => el('tr', {}, el('td', { text: p }), el('td', { text: seconds(v) })))))] : null,
    el('h3', { text: 'What started it' }),
    el('p', { 'data-testid': 'cause', text: cause(r, run) }),
    run.causeEvent ? details('event', `The event (${run.causeEvent.eventType})`, run.causeEvent, openDetails) : null,
    details('input', 'Input (the bound template)', run.input, openDetails),
    run.output ? details('output', 'Output', run.output, openDetails) : null,
  ];
  view.replaceChildren(...content.flat().filter(Boolean));
}

function cause(r, run) {
  const e = run.causeEvent;
  if (e) return `Event ${e.eventType} (id ${e.id}) at ${time(e.eventTime)}: ${e.subject}, from ${e.topic}.`;
  if (!r.lane) return `Started with an id of the caller's choice (by a request to the API, or another tool); it is in no lane.`;
  const when = run.causeTime ? time(run.causeTime) : 'an event without a time';
  return `A run in the lane of ${r.workload || r.lane}: started by a request, or by an event this host cannot look up, of ${when}. Runs of a lane take turns, newest event last.`;
}

function details(keyName, title, value, open) {
  return el('details', { 'data-key': keyName, open: open.has(keyName) }, el('summary', { text: title }), el('pre', { text: JSON.stringify(value, null, 2) }));
}

function stepsTable(timeline) {
  const activities = timeline.filter(step => step.kind === 'activity');
  if (!activities.length) return el('p', { class: 'empty', text: 'No step yet.' });
  return el('table', { class: 'grid', 'data-testid': 'steps' },
    el('thead', {}, el('tr', {}, ['Step', 'Outcome', 'Started', 'Took', 'Resource or error'].map(h => el('th', { text: h })))),
    el('tbody', {}, activities.map(step => el('tr', {},
      el('td', { text: step.name }),
      el('td', { class: step.outcome === 'failed' ? 'error' : '', text: step.outcome }),
      el('td', { text: time(step.start) }),
      el('td', { text: step.end ? seconds((new Date(step.end) - new Date(step.start)) / 1000) : '…' }),
      el('td', { class: 'mono', text: step.detail || '' })))));
}

function armCallsTable(calls) {
  if (!calls.length) return el('p', { class: 'empty', text: 'None seen by this host.' });
  const path = url => { try { const u = new URL(url); return u.pathname + u.search; } catch { return url || ''; } };
  return el('table', { class: 'grid', 'data-testid': 'arm-calls' },
    el('thead', {}, el('tr', {}, ['Time', 'Step', 'Method', 'Path', 'Status', 'Took'].map(h => el('th', { text: h })))),
    el('tbody', {}, calls.map(call => el('tr', {},
      el('td', { text: time(call.time) }),
      el('td', { text: call.activity || '' }),
      el('td', { text: call.method || '' }),
      el('td', { class: 'mono', text: path(call.url) }),
      el('td', { class: call.status >= 400 || call.error ? 'error' : '', text: call.status ?? call.error ?? '' }),
      el('td', { text: seconds(call.seconds) })))));
}

// A Gantt chart of the history: one row per activity call, durable wait and received event, on one time axis.
function gantt(timeline, r, s, going) {
  if (!timeline.length) return el('p', { class: 'empty', text: 'Nothing has happened yet.' });
  const start = Math.min(new Date(r.createdAt).getTime(), ...timeline.map(step => new Date(step.start).getTime()));
  const ends = timeline.map(step => new Date(step.end || step.dueAt || step.start).getTime());
  const end = Math.max(going ? Date.now() : new Date(r.lastUpdatedAt).getTime(), ...ends, start + 1000);
  const span = end - start;
  const pct = t => `${((t - start) / span) * 100}%`;
  const rows = timeline.map((step, index) => {
    const from = new Date(step.start).getTime();
    const live = !step.end && going;
    const to = step.end ? new Date(step.end).getTime() : (step.kind === 'wait' && !going ? from : Date.now());
    // A delete is compensation once the run was cancelled or a step failed; before that it replaces a group it must recreate.
    const compensation = step.name === 'DeleteResource' && timeline.slice(0, index).some(x => x.kind === 'event' || x.outcome === 'failed');
    const lastWait = live && step.kind === 'wait' && index === lastIndex(timeline, x => x.kind === 'wait');
    let label = step.name;
    if (lastWait && s.phase) label = `${s.phase} · attempt ${s.attempt}` + (s.nextRetryAt ? ` · next ${until(s.nextRetryAt)}` : '');
    else if (step.kind === 'wait') label = `wait ${seconds(((step.end ? new Date(step.end).getTime() : to) - from) / 1000)} (${step.name.replace(/^wait after /, 'after ')})`;
    const bar = el('div', {
      class: ['bar', step.kind, step.outcome === 'failed' ? 'failed' : '', compensation ? 'compensation' : '', live ? 'live' : ''].join(' '),
      style: `left:${pct(from)};width:calc(${pct(Math.max(to, from))} - ${pct(from)})`,
      title: `${step.name}: ${step.outcome}${step.detail ? ' — ' + step.detail : ''}`,
    });
    return el('div', { class: 'row ' + step.kind, 'data-kind': step.kind, 'data-outcome': step.outcome, 'data-testid': lastWait ? 'live-wait' : null },
      el('div', { class: 'label', title: label, text: label }), el('div', { class: 'track' }, bar));
  });
  return el('div', { 'data-testid': 'timeline' },
    el('div', { class: 'legend' }, el('span', { style: 'background:var(--run)' }), 'step', el('span', { style: 'background:#f0b44c' }), 'durable wait', el('span', { style: 'background:var(--comp)' }), 'event / compensation', el('span', { style: 'background:var(--bad)' }), 'failed'),
    el('div', { class: 'gantt' }, el('div', { class: 'axis' }, el('span', { text: time(new Date(start).toISOString()) }), el('span', { text: `${seconds(span / 1000)}` }), el('span', { text: going ? 'now' : time(new Date(end).toISOString()) })), rows));
}

function lastIndex(items, predicate) {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

async function act(id, action) {
  const messages = {
    cancel: 'Cancel this run? It stops and deletes what it created (compensation).',
    terminate: 'Terminate this run? It stops at once and deletes NOTHING it created.',
    restart: 'Restart this run with a new id?',
    purge: 'Purge this run? Its history and status are deleted from the store.',
  };
  if (!window.confirm(messages[action])) return;
  const path = `${DURABLE}/instances/${encodeURIComponent(id)}`;
  const calls = {
    cancel: () => api(`${path}/raiseEvent/Cancel`, { method: 'POST' }),
    terminate: () => api(`${path}/terminate?reason=${encodeURIComponent('Terminated from the dashboard')}`, { method: 'POST' }),
    restart: () => api(`${path}/restart`, { method: 'POST' }),
    purge: () => api(path, { method: 'DELETE' }),
  };
  const error = document.getElementById('action-error');
  try {
    const response = await calls[action]();
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      error.textContent = `${action}: ${problem.detail || response.status}`;
      return;
    }
    if (action === 'restart') {
      const started = await response.json();
      window.location.hash = '#/run/' + encodeURIComponent(started.id);
    } else if (action === 'purge') {
      window.location.hash = '#/runs';
    } else {
      refresh();
    }
  } catch (failure) {
    if (failure instanceof KeyRefused) askForKey(failure.message); else error.textContent = `${action}: ${failure.message}`;
  }
}

// ---- workloads ------------------------------------------------------------------------------------------------------

async function renderWorkloads(view) {
  const { body } = await json('/dashboard/api/workloads');
  const open = new Set([...view.querySelectorAll('details[open]')].map(d => d.dataset.key));
  const cards = body.lanes.map(lane => el('div', { class: 'card' + (lane.drift && lane.drift.findings.length ? ' drifted' : ''), 'data-lane': lane.lane },
    el('h3', {}, lane.workload, el('span', { class: 'legend', text: ` in ${lane.resourceGroup}` })),
    el('dl', { class: 'facts' },
      el('dt', { text: 'Deployed' }), el('dd', { 'data-testid': 'current-image', text: lane.currentImage || 'nothing yet' }),
      el('dt', { text: 'By run' }), el('dd', {}, lane.current ? runLink(lane.current.instanceId, time(lane.current.createdAt)) : '—'),
      el('dt', { text: 'Group' }), el('dd', { class: 'mono', text: lane.currentContainerGroupId || '—' }),
      el('dt', { text: 'Going' }), el('dd', { text: String(lane.going) })),
    laneDrift(lane.drift),
    el('details', { 'data-key': lane.lane, open: open.has(lane.lane) }, el('summary', { text: `History (${lane.runs.length} run${lane.runs.length === 1 ? '' : 's'})` }),
      el('table', { class: 'grid' }, el('tbody', {}, lane.runs.map(run => el('tr', {},
        el('td', {}, runLink(run.instanceId, time(run.createdAt))), el('td', {}, statusBadge(run.runtimeStatus)), el('td', { text: run.phase || '' }))))))));
  view.replaceChildren(...[
    el('h2', { text: 'Workloads' }),
    el('p', { class: 'legend', text: 'A lane is the runs that deploy one container group (their ids share a prefix): they take turns, and the newest successful run is what is deployed.' }),
    body.truncated ? el('p', { class: 'notice', text: 'Only the first 5000 runs were read: purge finished runs to see all lanes.' }) : null,
    el('h3', { text: 'Drift' }),
    driftScan(body.drift),
    body.lanes.length ? el('div', { class: 'cards' }, cards) : el('p', { class: 'empty', text: 'No lane yet: runs started from the API or by events appear here.' }),
  ].filter(Boolean));
}

// The last drift run, above the lanes: when it scanned, what it compared, and findings of workloads with no lane here.
function driftScan(scan) {
  if (!scan) {
    return el('p', { class: 'empty', 'data-testid': 'drift', text: 'No drift scan has run yet: POST /api/drift (function key), or set Provisioning:Drift:Schedule. Each lane then shows what differs from its last successful run, and the repair.' });
  }
  const going = scan.runtimeStatus === 'Running' || scan.runtimeStatus === 'Pending';
  return el('div', { 'data-testid': 'drift' },
    el('p', {},
      scan.scannedAt ? `Last scan ${time(scan.scannedAt)} (${ago(scan.scannedAt)})${scan.dryRun ? ', dry run' : ''}: ${scan.workloads} workload${scan.workloads === 1 ? '' : 's'} compared, ` : 'Scanning: ',
      el('strong', { 'data-testid': 'drift-count', text: `${scan.findings} finding${scan.findings === 1 ? '' : 's'}` }),
      '. Drift run ', statusBadge(scan.runtimeStatus), going ? ' (repairs still going; the report so far)' : ''),
    scan.failure ? el('p', { class: 'error', text: scan.failure }) : null,
    scan.unmatched.length ? el('details', {}, el('summary', { text: `${scan.unmatched.length} finding(s) of workloads with no lane here` }), findingsTable(scan.unmatched)) : null);
}

// One lane's findings (kind, resource, expected, actual) and the repair: its status and the repair run, a run of this lane.
function laneDrift(drift) {
  if (!drift) return null;
  const repair = drift.repair;
  return el('div', { class: 'lane-drift', 'data-testid': 'lane-drift' },
    el('h4', { text: drift.findings.length ? `Drift: ${drift.findings.length} finding${drift.findings.length === 1 ? '' : 's'}` : 'Drift' }),
    drift.findings.length ? findingsTable(drift.findings) : null,
    repair ? el('p', { 'data-testid': 'drift-repair' }, 'Repair: ',
      el('span', { class: 'status repair ' + repair.status, 'data-testid': 'repair-status', text: repair.status }),
      repair.runId ? [' by run ', el('span', { 'data-testid': 'repair-run' }, runLink(repair.runId))] : null,
      repair.failure ? el('span', { class: 'error', text: ` ${repair.failure}` }) : null) : null,
    drift.busy ? el('p', { class: 'legend', text: 'Not compared: a run of this lane was going.' }) : null);
}

function findingsTable(findings) {
  return el('table', { class: 'grid findings', 'data-testid': 'drift-findings' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Kind' }), el('th', { text: 'Resource' }), el('th', { text: 'Expected' }), el('th', { text: 'Actual' }))),
    el('tbody', {}, findings.map(finding => el('tr', { 'data-kind': finding.kind },
      el('td', { text: finding.kind }),
      el('td', { class: 'mono' }, finding.resourceId, finding.property ? el('div', { class: 'legend', text: finding.property }) : null),
      el('td', { class: 'mono', text: finding.expected }),
      el('td', { class: 'mono', text: finding.actual })))));
}

// ---- sandbox --------------------------------------------------------------------------------------------------------

async function renderSandbox(view, _arg, fresh) {
  const response = await api('/dashboard/api/sandbox');
  if (response.status === 404) {
    view.replaceChildren(el('h2', { text: 'Sandbox' }), el('p', { class: 'empty', text: 'This host targets Azure: it has no sandbox.' }));
    return;
  }
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const sandbox = await response.json();
  let form = view.querySelector('form.push');
  if (fresh || !form) {
    const repository = (sandbox.image || 'hello/web:1.0').split(':')[0];
    form = el('form', { class: 'push' },
      el('label', {}, 'Repository', el('input', { name: 'repository', value: repository, required: true })),
      el('label', {}, 'Tag', el('input', { name: 'tag', value: nextTag(sandbox.images, repository), required: true, size: 8 })),
      el('button', { type: 'submit', 'data-action': 'push' }, 'Push image'),
      el('span', { class: 'legend', id: 'push-result', role: 'status' }));
    form.addEventListener('submit', push);
    view.replaceChildren(el('h2', { text: 'Sandbox' }), el('div', { id: 'sandbox-facts' }), el('h3', { text: `Push an image to ${sandbox.registry}` }),
      el('p', { class: 'legend', text: 'The emulator raises ImagePushed; the rules (rules.yaml) decide which run it starts.' }), form, el('div', { id: 'sandbox-lists' }));
  }
  view.querySelector('#sandbox-facts').replaceChildren(el('dl', { class: 'facts' },
    el('dt', { text: 'Emulator' }), el('dd', { class: 'mono', text: sandbox.emulator + (sandbox.external ? ' (external)' : '') }),
    el('dt', { text: 'Subscription' }), el('dd', { class: 'mono', text: sandbox.subscriptionId }),
    el('dt', { text: 'Resource group' }), el('dd', { text: sandbox.resourceGroup })));
  view.querySelector('#sandbox-lists').replaceChildren(
    el('h3', { text: `Images in ${sandbox.registry} (${(sandbox.images || []).length})` }),
    el('table', { class: 'grid', 'data-testid': 'images' }, el('thead', {}, el('tr', {}, ['Repository', 'Tag', 'Digest'].map(h => el('th', { text: h })))),
      el('tbody', {}, (sandbox.images || []).map(image => el('tr', {}, el('td', { text: image.repository }), el('td', { text: image.tag }), el('td', { class: 'mono', text: image.digest || '' }))))),
    el('h3', { text: `Inventory (${sandbox.inventory.length} resources)` }),
    el('table', { class: 'grid', 'data-testid': 'inventory' }, el('thead', {}, el('tr', {}, ['Type', 'Name', 'State', 'Created', 'Id'].map(h => el('th', { text: h })))),
      el('tbody', {}, sandbox.inventory.map(item => el('tr', {}, el('td', { text: item.type }), el('td', { text: item.name }), el('td', { text: item.provisioningState || '' }), el('td', { text: time(item.createdAt) }), el('td', { class: 'mono', text: item.id }))))));
}

function nextTag(images, repository) {
  const tags = (images || []).filter(image => image.repository === repository).map(image => image.tag);
  for (let minor = 1; ; minor++) if (!tags.includes(`1.${minor}`)) return `1.${minor}`;
}

async function push(event) {
  event.preventDefault();
  const form = event.target;
  const result = form.querySelector('#push-result');
  try {
    const response = await api('/dashboard/api/sandbox/images', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ repository: form.elements.repository.value, tag: form.elements.tag.value }),
    });
    const body = await response.json().catch(() => ({}));
    result.textContent = response.ok ? `Pushed ${body.repository}:${body.tag} (${body.digest})` : `Push refused: ${body.detail || (body.error && body.error.message) || response.status}`;
    refresh();
  } catch (failure) {
    if (failure instanceof KeyRefused) askForKey(failure.message); else result.textContent = failure.message;
  }
}

// ---- start ----------------------------------------------------------------------------------------------------------

document.getElementById('key-form').addEventListener('submit', event => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, document.getElementById('key-input').value.trim());
  document.getElementById('key-input').value = '';
  show();
});
document.getElementById('forget-key').addEventListener('click', () => askForKey('The key is forgotten.'));
window.addEventListener('hashchange', () => { state.pages = [null]; state.page = 0; show(); });
takeKeyFromUrl();
show();
