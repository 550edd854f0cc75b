// The console's entry point: finds out who is signed in, then draws the page the address names. Links between pages
// change the address (history API) without reloading; every page has its own URL, filters included.
import { whoAmI } from './api.js';
import { message, failed } from './dom.js';
import * as tasks from './tasks.js';
import * as task from './task.js';
import * as nodes from './nodes.js';
import * as approvals from './approvals.js';

const ROOT = '/agent-batch/console/';
let leave = null;

function route(path) {
  const rest = path.startsWith(ROOT) ? path.slice(ROOT.length) : '';
  const m = rest.match(/^tasks\/(\d+)$/);
  if (m) return ['tasks', () => task.show(Number(m[1]))];
  if (rest === 'nodes') return ['nodes', () => nodes.show()];
  if (rest === 'approvals') return ['approvals', () => approvals.show()];
  return ['tasks', () => tasks.show()];
}

async function draw() {
  if (leave) { leave(); leave = null; }
  message(null);
  const [nav, show] = route(location.pathname);
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  try {
    leave = await show();
  } catch (e) {
    failed(e);
  }
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[href]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const url = new URL(a.href, document.baseURI);
  if (url.origin !== location.origin || !url.pathname.startsWith(ROOT)) return;
  event.preventDefault();
  history.pushState(null, '', url.pathname + url.search);
  draw();
});
window.addEventListener('popstate', draw);

async function start() {
  try {
    const me = await whoAmI();
    document.getElementById('who').textContent = `${me.user} (${me.roles.map((r) => r.replace('agent-', '')).join(', ')})`;
  } catch (e) {
    failed(e);
    document.getElementById('view').replaceChildren();
    return;
  }
  draw();
}

start();
