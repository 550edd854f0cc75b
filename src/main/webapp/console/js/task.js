// The page of one task (/console/tasks/{id}): what it is and why it ended, its iterations as a timeline with the
// marks of durable execution, the job repository's executions, the audit trail, and the actions the user may take.
// While the task is not finished, the task's own event stream (GET /api/tasks/{id}/events) keeps the page current.
import { API, get, post, mayControl } from './api.js';
import { el, page, fill, time, number, duration, stateBadge, throttle, failed, message } from './dom.js';

const RESTARTABLE = ['FAILED', 'STOPPED'];
const STOPPABLE = ['RUNNING', 'STARTING', 'AWAITING_APPROVAL'];
const CANCELLABLE = ['PENDING', 'RESTART_PENDING'];
const TERMINAL = ['COMPLETED', 'FAILED', 'STOPPED'];

export async function show(id) {
  const view = document.getElementById('view');
  let stream = null;
  let gone = false;

  const task = await get(`/tasks/${id}`);
  view.replaceChildren(page('task-page'));
  document.title = `Task ${id} · agent-batch`;

  async function loadTask() {
    const t = await get(`/tasks/${id}`);
    drawTask(view, t);
    return t;
  }

  async function loadDetails() {
    const [transcript, executions, audit] = await Promise.all([get(`/tasks/${id}/transcript`),
      get(`/tasks/${id}/executions`), get(`/tasks/${id}/audit`)]);
    drawTimeline(view, transcript);
    drawExecutions(view, executions.executions);
    drawAudit(view, audit.audit);
  }

  const reload = throttle(async () => {
    if (gone) return;
    try {
      const t = await loadTask();
      await loadDetails();
      if (TERMINAL.includes(t.state)) close();
    } catch (e) {
      failed(e);
    }
  }, 250);

  function close() {
    if (stream) { stream.close(); stream = null; }
  }

  /** Follows the task's events; the first one is the task as it is now. */
  function follow() {
    if (stream || gone) return;
    stream = new EventSource(`${API}/tasks/${id}/events`);
    stream.addEventListener('task', (e) => {
      const t = JSON.parse(e.data);
      drawTask(view, t);
      reload();
      if (TERMINAL.includes(t.state)) close();
    });
    stream.addEventListener('state', (e) => {
      const event = JSON.parse(e.data);
      setState(view, event.state, event.exitStatus);
      reload();
      if (TERMINAL.includes(event.state)) close();
    });
    stream.addEventListener('iteration', reload);
  }

  async function act(label, path, body) {
    const result = view.querySelector('#action-result');
    message(null);
    result.textContent = `${label}…`;
    try {
      const t = await post(path, body);
      result.textContent = `${label}: accepted, the task was ${t.state} then`;
      drawTask(view, t);
      follow();
      reload();
    } catch (e) {
      result.textContent = '';
      failed(e);
    }
  }

  view.querySelector('#restart-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const body = {};
    if (f.maxIterations.value) body.maxIterations = Number(f.maxIterations.value);
    if (f.budgetTokens.value) body.budgetTokens = Number(f.budgetTokens.value);
    if (f.deadline.value.trim()) body.deadline = f.deadline.value.trim();
    act('Restart', `/tasks/${id}/restart`, body);
  });
  view.querySelector('#stop').addEventListener('click', () => act('Stop', `/tasks/${id}/stop`));
  view.querySelector('#cancel').addEventListener('click', () => act('Cancel', `/tasks/${id}/stop`));

  drawTask(view, task);
  await loadDetails();
  if (!TERMINAL.includes(task.state)) follow();
  return () => { gone = true; close(); };
}

function setState(view, state, exitStatus) {
  const badge = view.querySelector('#task-state');
  badge.textContent = state;
  badge.className = `state state-${state.toLowerCase()}`;
  badge.dataset.state = state;
  if (exitStatus !== undefined) {
    const x = view.querySelector('[data-fact="exitStatus"]');
    if (x) x.textContent = exitStatus || '';
  }
}

function drawTask(view, t) {
  fill(view, t);
  setState(view, t.state);
  const may = mayControl(t);
  view.querySelector('#restart-box').hidden = !(may && RESTARTABLE.includes(t.state));
  view.querySelector('#stop').hidden = !(may && STOPPABLE.includes(t.state));
  view.querySelector('#cancel').hidden = !(may && CANCELLABLE.includes(t.state));
  const budget = t.budgetTokens ? ` of ${number(t.budgetTokens)} budget` : ' (no budget)';
  const facts = [
    ['State', t.state, 'state'], ['Exit status', t.exitStatus, 'exitStatus'], ['Error', t.error, 'error'],
    ['Node', t.node, 'node'], ['Epoch', t.epoch, 'epoch'], ['Priority', t.priority, 'priority'],
    ['Iterations', `${t.iterations}${t.maxIterations ? ' of max ' + t.maxIterations : ''}`, 'iterations'],
    ['Tokens', `${number(t.usage.totalTokens)}${budget} (prompt ${number(t.usage.promptTokens)}, completion `
      + `${number(t.usage.completionTokens)})`, 'tokens'],
    ['Deadline', t.deadline || 'none', 'deadline'], ['Execution', t.executionId, 'executionId'],
    ['Submitted by', t.submittedBy, 'submittedBy'], ['Created', time(t.createdAt)], ['Started', time(t.startedAt)],
    ['Updated', time(t.updatedAt)], ['Ended', time(t.endedAt)],
    ['Stop requested', time(t.stopRequestedAt)],
  ];
  view.querySelector('#facts').replaceChildren(...facts.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v, key]) => [el('dt', {}, k), el('dd', { 'data-fact': key || null }, String(v))]));
  view.querySelector('#result-box').hidden = !t.result;
  const awaiting = t.awaiting || [];
  view.querySelector('#awaiting-box').hidden = awaiting.length === 0;
  view.querySelector('#awaiting').replaceChildren(...awaiting.map((a) => el('li', {},
    `iteration ${a.iteration}: ${a.toolName} ${a.arguments} (since ${time(a.requestedAt)}) — `,
    el('a', { href: 'approvals' }, 'decide on the Approvals page'))));
}

function mark(text, kind) {
  return el('span', { class: `mark mark-${kind}`, 'data-mark': kind }, text);
}

function drawTimeline(view, transcript) {
  const byIteration = new Map();
  for (const m of transcript.messages) {
    if (m.iteration === 0) continue;
    if (!byIteration.has(m.iteration)) byIteration.set(m.iteration, []);
    byIteration.get(m.iteration).push(m);
  }
  const items = [...byIteration.entries()].map(([n, messages]) => {
    const turn = messages.find((m) => m.role === 'assistant') || {};
    const results = new Map(messages.filter((m) => m.role === 'tool').map((m) => [m.toolCallId, m]));
    const tokens = (turn.promptTokens || 0) + (turn.completionTokens || 0);
    const marks = [];
    if (turn.replayed) marks.push(mark('replayed from the journal, not paid again', 'replayed'));
    else marks.push(mark('paid', 'paid'));
    if ([...results.values()].some((r) => r.reused)) marks.push(mark('reused from the ledger', 'reused'));
    if ([...results.values()].some((r) => r.inDoubt)) marks.push(mark('in doubt', 'in-doubt'));
    return el('li', { 'data-iteration': n },
      el('h3', {}, `Iteration ${n}`, ' ', ...marks),
      el('p', { class: 'meta' }, `${number(tokens)} tokens (prompt ${number(turn.promptTokens)}, completion `
        + `${number(turn.completionTokens)}) · ${duration(turn.durationMs)} · execution ${turn.executionId ?? ''}`
        + ` · epoch ${turn.epoch ?? ''} · ${time(turn.createdAt)}`),
      turn.content ? el('div', { class: 'turn' }, el('strong', {}, 'Model: '), el('span', { class: 'text' }, turn.content)) : '',
      turn.contextTrimmed ? el('p', { class: 'meta' }, `Context trimmed: ${turn.contextTrimmed}`) : '',
      (turn.toolCalls || []).length ? el('ul', { class: 'calls' }, ...turn.toolCalls.map((c) => {
        const r = results.get(c.id) || {};
        return el('li', { 'data-call': c.id },
          el('div', {}, el('code', { class: 'tool' }, c.name), ' ', el('code', { class: 'args' }, c.arguments),
            r.reused ? mark('reused from the ledger', 'reused') : '', r.inDoubt ? mark('in doubt', 'in-doubt') : '',
            r.decision ? mark(`${r.decision.outcome} by ${r.decision.decidedBy || 'timeout'}`, 'decision') : ''),
          el('details', {}, el('summary', {}, 'Result'), el('pre', { class: 'text' }, r.content ?? '(no result yet)')));
      })) : '');
  });
  view.querySelector('#timeline').replaceChildren(...items);
  if (!items.length) view.querySelector('#timeline').append(el('li', { class: 'muted' }, 'No iteration yet.'));
  const retries = transcript.retries || [];
  view.querySelector('#retries').replaceChildren(...(retries.length ? [el('h3', {}, 'Retries'), el('ul', {},
    ...retries.map((r) => el('li', {}, `iteration ${r.iteration}, retry ${r.retry}`
      + `${r.delayMs !== null ? ` after ${duration(r.delayMs)}` : ' (out of retries)'}: ${r.cause} (${time(r.at)})`)))] : []));
}

function drawExecutions(view, executions) {
  const rows = [];
  for (const e of executions) {
    const steps = e.steps.length ? e.steps : [null];
    steps.forEach((s, i) => rows.push(el('tr', {},
      el('td', { class: 'num' }, i === 0 ? e.executionId : ''), el('td', {}, i === 0 ? e.batchStatus : ''),
      el('td', {}, i === 0 ? e.exitStatus || '' : ''), el('td', { class: 'time' }, i === 0 ? time(e.startTime) : ''),
      el('td', { class: 'time' }, i === 0 ? time(e.endTime) : ''),
      el('td', {}, s ? s.stepName : ''), el('td', {}, s ? s.batchStatus : ''), el('td', {}, s ? s.exitStatus || '' : ''),
      el('td', { class: 'num' }, s ? s.readCount : ''), el('td', { class: 'num' }, s ? s.writeCount : ''),
      el('td', { class: 'num' }, s ? s.commitCount : ''), el('td', { class: 'num' }, s ? s.rollbackCount : ''))));
  }
  view.querySelector('#executions tbody').replaceChildren(...rows);
}

function drawAudit(view, audit) {
  view.querySelector('#audit tbody').replaceChildren(...audit.map((a) => el('tr', {},
    el('td', { class: 'time' }, time(a.at)), el('td', {}, a.actor), el('td', {}, a.action), el('td', {}, a.detail || ''))));
}
