import { ApiError } from './api.js';

// Small helpers for building the views from <template> elements and plain DOM calls.

/** An element with attributes and children (strings become text, never HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
}

/** A fresh copy of a <template> of index.html. */
export function page(id) {
  return document.getElementById(id).content.cloneNode(true);
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function shorten(text, max = 80) {
  if (!text) return '';
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

export function number(n) {
  return n === null || n === undefined ? '' : Number(n).toLocaleString('en');
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function stateBadge(state) {
  return el('span', { class: `state state-${(state || '').toLowerCase()}` }, state || '');
}

/** Fills the [data-f] elements of root with the fields of obj. */
export function fill(root, obj) {
  root.querySelectorAll('[data-f]').forEach((n) => {
    const v = obj[n.dataset.f];
    n.textContent = v === null || v === undefined ? '' : v;
  });
}

/** Shows a message in the page's alert area (or hides it with null). */
export function message(text, kind = 'error') {
  const box = document.getElementById('message');
  box.textContent = text || '';
  box.className = `message ${kind}`;
  box.hidden = !text;
}

/**
 * Runs fn (sync or async) after `wait` ms, once for any number of calls meanwhile, and never twice at once: a call
 * while it runs asks for one more run after it. The wait grows with fn's own time (4 ×), so a page whose reads get
 * slow (counting a million tasks takes about half a second) reads less often instead of piling reads on the database.
 */
export function throttle(fn, wait = 300) {
  let timer = null;
  let running = false;
  let again = false;
  let took = 0;
  const run = async () => {
    timer = null;
    running = true;
    const started = performance.now();
    try {
      await fn();
    } finally {
      took = performance.now() - started;
      running = false;
      if (again) {
        again = false;
        timer = setTimeout(run, Math.max(wait, 4 * took));
      }
    }
  };
  return () => {
    if (running) {
      again = true;
    } else if (!timer) {
      timer = setTimeout(run, Math.max(wait, 4 * took));
    }
  };
}

/** Shows an error in words; a 401 or 403 says what to do instead of leaving a broken page. */
export function failed(e) {
  message(e instanceof ApiError ? e.words : `Something went wrong in the console: ${e.message}`);
  if (!(e instanceof ApiError)) console.error(e);
}

/** Goes to a console address without a reload (app.js draws the page on popstate). */
export function go(href) {
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
