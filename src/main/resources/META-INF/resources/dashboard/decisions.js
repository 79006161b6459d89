// The latest bypass decisions, filterable by service / deployment / outcome. A refresh re-reads the
// first page and puts decisions not yet shown on top; "load more" follows next_cursor of the last page.
import { call } from './api.js';
import { cell, time } from './format.js';

const PAGE = 20;
let shown = [];
let cursor = null;
// Bumped by every reset, so that a page asked for before it (another environment or filter) is dropped.
let generation = 0;

function query(environment, extra = {}) {
  const params = new URLSearchParams({ environment, limit: String(PAGE), ...extra });
  const form = document.getElementById('decision-filters');
  for (const name of ['service', 'deployment', 'bypass']) {
    const value = form.elements[name].value.trim();
    if (value) {
      params.set(name, value);
    }
  }
  return `/api/v1/bypass-decisions?${params}`;
}

/** Forgets what is shown: the environment or a filter changed. */
export function resetDecisions() {
  shown = [];
  cursor = null;
  generation += 1;
}

export async function loadDecisions(environment) {
  const asked = generation;
  const page = await call(query(environment));
  if (asked !== generation) {
    return page;
  }
  const known = new Set(shown.map((d) => d.id));
  const fresh = page.items.filter((d) => !known.has(d.id));
  if (shown.length === 0) {
    cursor = page.next_cursor;
  }
  shown = [...fresh, ...shown];
  render();
  return page;
}

export async function loadMore(environment) {
  if (!cursor) {
    return;
  }
  const asked = generation;
  const page = await call(query(environment, { cursor }));
  if (asked !== generation) {
    return;
  }
  const known = new Set(shown.map((d) => d.id));
  shown = [...shown, ...page.items.filter((d) => !known.has(d.id))];
  cursor = page.next_cursor;
  render();
}

function render() {
  const rows = shown.map((decision) => {
    const tr = document.createElement('tr');
    tr.dataset.id = decision.id;
    tr.append(cell(time(decision.decided_at)),
      cell(decision.bypass ? 'bypass' : 'stop', decision.bypass ? 'outcome pass' : 'outcome stop'),
      cell(decision.rule), cell(decision.reason), cell(decision.service), cell(decision.deployment));
    return tr;
  });
  document.querySelector('#decisions tbody').replaceChildren(...rows);
  document.getElementById('load-more').hidden = !cursor;
}
