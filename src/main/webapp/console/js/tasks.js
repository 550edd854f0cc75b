// The Tasks page: counts by state and the queue depth, then the filtered, sorted, paged table. The filter, sort and
// page live in the address's query string (the API's own parameter names), so a pasted address shows the same view.
// Live: the stream of every task's events (GET /api/events) makes the page read the counts and the table again.
import { API, get, post, mayBulk } from './api.js';
import { el, page, time, shorten, number, stateBadge, throttle, failed, go, message } from './dom.js';

const STATES = ['PENDING', 'RESTART_PENDING', 'STARTING', 'RUNNING', 'AWAITING_APPROVAL', 'COMPLETED', 'FAILED', 'STOPPED'];
const EXITS = ['COMPLETED', 'STOPPED', 'CANCELLED', 'ITERATION_LIMIT', 'DEADLINE_EXCEEDED', 'BUDGET_EXCEEDED',
  'MODEL_ERROR', 'INVALID_MODEL_ANSWER', 'RETRIES_EXHAUSTED', 'RETRY_BUDGET_EXHAUSTED', 'TOOL_FAILURES',
  'CONTEXT_LENGTH_EXCEEDED', 'FENCED', 'NODE_LOST', 'FAILED'];
const FILTER = ['state', 'exitStatus', 'priority', 'time', 'from', 'to', 'q'];

export async function show() {
  const view = document.getElementById('view');
  view.replaceChildren(page('tasks-page'));
  const params = new URLSearchParams(location.search);
  const form = view.querySelector('#filters');
  const stateSelect = form.elements.state;
  STATES.forEach((s) => stateSelect.append(el('option', { value: s }, s)));
  view.querySelector('#exit-statuses').append(...EXITS.map((x) => el('option', { value: x })));
  for (const name of [...FILTER, 'size']) {
    if (params.has(name)) form.elements[name].value = params.get(name);
  }
  const selected = new Set();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of [...FILTER, 'size']) {
      const value = form.elements[name].value.trim();
      if (value && !(name === 'time' && value === 'updated') && !(name === 'size' && value === '50')) next.set(name, value);
    }
    if (params.has('sort')) next.set('sort', params.get('sort'));
    go('./' + (next.toString() ? '?' + next : ''));
  });

  // sort by a column: a button in its header; the current order is announced with aria-sort
  const sort = params.get('sort') || '-id';
  view.querySelectorAll('th[data-sort]').forEach((th) => {
    const key = th.dataset.sort;
    const current = sort.replace(/^-/, '') === key;
    const descending = sort.startsWith('-');
    if (current) th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    const label = th.textContent;
    th.replaceChildren(el('button', {
      type: 'button', class: 'sort',
      onclick: () => {
        const next = new URLSearchParams(location.search);
        next.set('sort', current && descending ? key : '-' + key);
        next.delete('page');
        go('./?' + next);
      },
    }, label, current ? (descending ? ' ▼' : ' ▲') : ''));
  });

  const pageNo = Math.max(0, Number(params.get('page') || 0));
  const pageTo = (n) => { const next = new URLSearchParams(location.search); next.set('page', n); go('./?' + next); };
  view.querySelector('#prev').addEventListener('click', () => pageTo(pageNo - 1));
  view.querySelector('#next').addEventListener('click', () => pageTo(pageNo + 1));

  const filterQuery = () => {
    const q = new URLSearchParams();
    FILTER.forEach((n) => { if (params.get(n)) q.set(n, params.get(n)); });
    return q;
  };

  async function loadCounts() {
    const counts = await get('/tasks/counts');
    view.querySelector('#counts').replaceChildren(...STATES.map((s) => el('li', {},
      el('a', { href: './?state=' + s, 'data-count': s }, stateBadge(s), ' ', el('strong', {}, number(counts.states[s]))))));
    view.querySelector('#queue-depth').textContent = number(counts.queueDepth);
  }

  async function loadTable() {
    const q = new URLSearchParams(location.search);
    q.delete('size');
    q.set('size', params.get('size') || '50');
    const list = await get('/tasks?' + q);
    const pages = Math.max(1, Math.ceil(list.total / list.size));
    view.querySelector('#summary').textContent = `${number(list.total)} task${list.total === 1 ? '' : 's'} match`;
    view.querySelector('#page-of').textContent = `page ${list.page + 1} of ${pages}`;
    view.querySelector('#prev').disabled = list.page === 0;
    view.querySelector('#next').disabled = list.page + 1 >= pages;
    const bulk = mayBulk();
    view.querySelector('#tasks tbody').replaceChildren(...list.tasks.map((t) => el('tr', { 'data-task': t.id },
      el('td', { class: 'pick' }, bulk ? el('input', {
        type: 'checkbox', 'aria-label': `Select task ${t.id}`, value: t.id, checked: selected.has(t.id),
        onchange: (e) => { if (e.target.checked) selected.add(t.id); else selected.delete(t.id); updateBulk(); },
      }) : ''),
      el('td', { class: 'num' }, el('a', { href: `tasks/${t.id}` }, t.id)),
      el('td', {}, stateBadge(t.state)),
      el('td', { 'data-col': 'exitStatus' }, t.exitStatus || ''),
      el('td', { class: 'num' }, t.priority),
      el('td', { class: 'num' }, t.iterations, t.maxIterations ? ` / ${t.maxIterations}` : ''),
      el('td', { class: 'num' }, number(t.usage.totalTokens)),
      el('td', {}, t.node || ''),
      el('td', { class: 'input', title: t.input }, shorten(t.input, 70)),
      el('td', { class: 'time' }, time(t.updatedAt)))));
    if (!list.tasks.length) {
      view.querySelector('#tasks tbody').append(el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'No task matches this filter.')));
    }
    updateBulk();
  }

  function updateBulk() {
    view.querySelector('#restart-selected').disabled = selected.size === 0;
    view.querySelector('#stop-selected').disabled = selected.size === 0;
  }

  let gone = false;
  async function load() {
    if (gone) return;
    try {
      await Promise.all([loadCounts(), loadTable()]);
    } catch (e) {
      failed(e);
    }
  }

  function report(result) {
    const refused = result.results.filter((r) => r.problem);
    view.querySelector('#bulk-result').textContent = `${result.action}: ${result.succeeded} of ${result.requested} done`
      + (refused.length ? `; refused: ${refused.map((r) => `#${r.id} (${r.status}: ${r.problem})`).join('; ')}` : '');
  }

  /** The optional new limits of the bulk bar, for a restart. */
  function overrides() {
    const o = {};
    const max = view.querySelector('#bulk-max-iterations').value;
    const budget = view.querySelector('#bulk-budget-tokens').value;
    const deadline = view.querySelector('#bulk-deadline').value.trim();
    if (max) o.maxIterations = Number(max);
    if (budget) o.budgetTokens = Number(budget);
    if (deadline) o.deadline = deadline;
    return Object.keys(o).length ? o : undefined;
  }

  function limitsInWords(o) {
    if (!o) return '';
    return ' with ' + Object.entries(o).map(([k, v]) => ({ maxIterations: 'max iterations', budgetTokens: 'budget tokens',
      deadline: 'deadline' }[k] + ' ' + v)).join(', ');
  }

  async function bulk(action, body) {
    try {
      message(null);
      const result = await post(`/tasks/bulk/${action}`, body);
      selected.clear();
      report(result);
      load();
    } catch (e) {
      failed(e);
    }
  }

  if (mayBulk()) {
    view.querySelector('#bulk').hidden = false;
    view.querySelector('#restart-selected').addEventListener('click', () => bulk('restart', { ids: [...selected], overrides: overrides() }));
    view.querySelector('#stop-selected').addEventListener('click', () => bulk('stop', { ids: [...selected] }));
    view.querySelector('#restart-all-failed').addEventListener('click', async () => {
      const filter = Object.fromEntries(filterQuery());
      if (filter.state && !filter.state.split(',').includes('FAILED')) {
        message('This filter selects no FAILED task.', 'info');
        return;
      }
      filter.state = 'FAILED';
      try {
        const count = (await get('/tasks?' + new URLSearchParams(filter) + '&size=1')).total;
        if (count === 0) {
          message('No FAILED task matches this filter.', 'info');
          return;
        }
        const dialog = view.querySelector('#confirm');
        const limits = overrides();
        view.querySelector('#confirm-text').textContent =
          `Restart all ${count} FAILED task${count === 1 ? '' : 's'} that match this filter${limitsInWords(limits)}?`;
        dialog.returnValue = '';
        dialog.onclose = () => { if (dialog.returnValue === 'ok') bulk('restart', { filter, overrides: limits }); };
        dialog.showModal();
      } catch (e) {
        failed(e);
      }
    });
  }
  view.querySelector('#select-all').hidden = !mayBulk();
  view.querySelector('#select-all').addEventListener('change', (e) => {
    view.querySelectorAll('#tasks tbody input[type=checkbox]').forEach((box) => {
      box.checked = e.target.checked;
      if (box.checked) selected.add(Number(box.value)); else selected.delete(Number(box.value));
    });
    updateBulk();
  });

  await load();
  const refresh = throttle(load, 500);
  const events = new EventSource(API + '/events');
  events.addEventListener('state', refresh);
  events.addEventListener('iteration', refresh);
  return () => { gone = true; events.close(); };
}
