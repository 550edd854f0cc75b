// The Nodes page: every node sharing the database, as the database's clock sees it; read again every 5 s.
import { get } from './api.js';
import { el, page, time, duration, failed } from './dom.js';

export async function show() {
  const view = document.getElementById('view');
  view.replaceChildren(page('nodes-page'));
  async function load() {
    try {
      const { nodes } = await get('/nodes');
      view.querySelector('#nodes tbody').replaceChildren(...nodes.map((n) => el('tr', { 'data-node': n.name },
        el('td', {}, n.name, n.self ? ' (this node)' : ''), el('td', {}, n.state),
        el('td', { class: n.alive ? 'ok' : 'bad' }, n.alive ? 'alive' : 'dead'),
        el('td', { class: 'num' }, duration(n.heartbeatAgeMs)), el('td', { class: 'num' }, n.cap),
        el('td', { class: 'num' }, n.runningTasks), el('td', { class: 'time' }, time(n.joinedAt)))));
    } catch (e) {
      failed(e);
    }
  }
  await load();
  const timer = setInterval(load, 5000);
  return () => clearInterval(timer);
}
