// Number and DOM helpers shared by the panels. Figures are shown rounded; the exact value the API
// answered stays in data-value, for a reader's tooltip and for the browser tests.
export function fixed(value, digits = 2) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
}

export function figure(id, value, digits = 2) {
  const element = document.getElementById(id);
  element.textContent = fixed(value, digits);
  element.dataset.value = value === null || value === undefined ? '' : String(value);
  element.title = element.dataset.value;
}

export function text(id, value) {
  document.getElementById(id).textContent = value ?? '–';
}

export function cell(content, className) {
  const td = document.createElement('td');
  td.textContent = content ?? '';
  if (className) {
    td.className = className;
  }
  return td;
}

export function listItems(id, items) {
  const list = document.getElementById(id);
  list.replaceChildren(...(items || []).map((item) => {
    const li = document.createElement('li');
    li.textContent = item;
    return li;
  }));
}

export function time(instant) {
  return instant ? new Date(instant).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

export const OPERATIONS = ['initialization', 'table_setup', 'connection', 'pool', 'health_check'];
export const keyOf = (operation) => `${operation}_timeout`;

/** A table cell with a rounded figure; the exact value stays in data-value, as {@link figure} keeps it. */
export function figureCell(value, digits = 2, className) {
  const td = cell(fixed(value, digits), className);
  td.dataset.value = value === null || value === undefined ? '' : String(value);
  return td;
}

/** An element with its text, for lists and lines built from API strings (textContent, never HTML). */
export function element(tag, content, className) {
  const made = document.createElement(tag);
  made.textContent = content ?? '';
  if (className) {
    made.className = className;
  }
  return made;
}
