// The Approvals page: the gated tool calls that wait for a person, with Approve and Deny (a denial needs a reason:
// the model reads it as the call's result). Only an approver sees the buttons; the server applies four eyes.
import { API, get, post, hasRole } from './api.js';
import { el, page, time, shorten, throttle, failed, message } from './dom.js';

export async function show() {
  const view = document.getElementById('view');
  view.replaceChildren(page('approvals-page'));
  const approver = hasRole('agent-approver');

  async function decide(a, decision, reason) {
    try {
      message(null);
      await post(`/tasks/${a.taskId}/approvals/${encodeURIComponent(a.toolCallId)}`, { decision, reason });
      message(`Task ${a.taskId}: ${a.toolName} ${decision === 'approve' ? 'approved' : 'denied'}.`, 'info');
      load();
    } catch (e) {
      failed(e);
    }
  }

  function actions(a) {
    if (!approver) return '';
    const reason = el('input', { 'aria-label': `Reason for task ${a.taskId} ${a.toolName}`, placeholder: 'reason', size: 14 });
    return [el('button', { type: 'button', onclick: () => decide(a, 'approve', reason.value.trim() || null) }, 'Approve'),
      ' ', reason, ' ',
      el('button', {
        type: 'button',
        onclick: () => (reason.value.trim() ? decide(a, 'deny', reason.value.trim())
          : (message('A denial needs a reason: the model reads it as the call\'s result.'), reason.focus())),
      }, 'Deny')];
  }

  async function load() {
    try {
      const { approvals } = await get('/approvals');
      view.querySelector('#approvals-summary').textContent = `${approvals.length} call${approvals.length === 1 ? '' : 's'} waiting`;
      view.querySelector('#approvals tbody').replaceChildren(...approvals.map((a) => el('tr', {},
        el('td', { class: 'num' }, el('a', { href: `tasks/${a.taskId}` }, a.taskId)), el('td', { class: 'num' }, a.iteration),
        el('td', {}, el('code', {}, a.toolName)), el('td', {}, el('code', { class: 'args' }, a.arguments)),
        el('td', { title: a.reason || '' }, shorten(a.reason, 80)), el('td', { class: 'time' }, time(a.requestedAt)),
        el('td', { class: 'time' }, time(a.deadline) || 'none'), el('td', {}, a.submittedBy || ''),
        el('td', { class: 'decide' }, actions(a)))));
    } catch (e) {
      failed(e);
    }
  }
  await load();
  const refresh = throttle(load, 500);
  const events = new EventSource(API + '/events');
  events.addEventListener('state', refresh);
  return () => events.close();
}
