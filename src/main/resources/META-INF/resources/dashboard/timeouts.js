// Effective vs base timeouts per operation, with each explanation's text on hover (chart tooltip and
// row title) and on keyboard focus (the table rows are focusable and show the text below the table).
import { call, environmentPath, stale } from './api.js';
import { OPERATIONS, cell, figure, fixed, keyOf, text } from './format.js';

let chart;
let lastAnswer = null;

export function pressure() {
  return [...document.querySelectorAll('input[name=pressure]:checked')].map((box) => box.value);
}

export function timeoutsInForce() {
  return lastAnswer?.timeouts || {};
}

let indicatorsOf = null;

/**
 * The toggles are the indicators the environment's policy knows (its pressure_multipliers), read once per
 * environment; a name that the next environment also knows stays checked.
 */
async function indicators(environment, onChange) {
  if (indicatorsOf === environment) {
    return;
  }
  let policy;
  try {
    policy = await call(environmentPath(environment, 'policy'));
  } catch (error) {
    return; // the timeouts matter more than the toggles: they are asked for again next round
  }
  if (stale(environment)) {
    return;
  }
  const checked = new Set(pressure());
  const labels = Object.keys(policy.pressure_multipliers || {}).sort().map((name) => {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'pressure';
    box.value = name;
    box.checked = checked.has(name);
    box.addEventListener('change', onChange);
    const label = document.createElement('label');
    label.append(box, ` ${name.replaceAll('_', ' ')}`);
    return label;
  });
  document.getElementById('pressure-boxes').replaceChildren(...labels);
  indicatorsOf = environment;
}

export async function loadTimeouts(environment, onPressureChange) {
  await indicators(environment, onPressureChange);
  const names = pressure();
  const query = names.length ? `?pressure=${encodeURIComponent(names.join(','))}` : '';
  const answer = await call(environmentPath(environment, `timeouts${query}`));
  if (stale(environment)) {
    return answer;
  }
  lastAnswer = answer;
  figure('connection-timeout', answer.timeouts.connection_timeout);
  text('strategy', `${answer.strategy}${answer.adaptive ? ' (adaptive)' : ''}`);
  text('samples', String(answer.samples));
  renderTable(answer);
  renderChart(answer);
  return answer;
}

function renderTable(answer) {
  const rows = OPERATIONS.map((operation) => {
    const key = keyOf(operation);
    const explanation = answer.explanations[key];
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    tr.title = explanation.text;
    tr.dataset.key = key;
    tr.append(cell(operation), cell(fixed(answer.timeouts[key])), cell(fixed(answer.base_timeouts[key])),
      cell(explanation.branch));
    const show = () => { document.getElementById('explanation').textContent = `${operation}: ${explanation.text}`; };
    tr.addEventListener('focus', show);
    tr.addEventListener('mouseenter', show);
    return tr;
  });
  document.querySelector('#timeouts-table tbody').replaceChildren(...rows);
}

function renderChart(answer) {
  const keys = OPERATIONS.map(keyOf);
  const effective = keys.map((key) => answer.timeouts[key]);
  const base = keys.map((key) => answer.base_timeouts[key]);
  if (!window.Chart) {
    return;
  }
  if (chart) {
    // In place, without animation: a refresh must not make the bars flicker.
    chart.data.datasets[0].data = effective;
    chart.data.datasets[1].data = base;
    chart.update('none');
    return;
  }
  chart = new window.Chart(document.getElementById('timeouts-chart'), {
    type: 'bar',
    data: {
      labels: OPERATIONS,
      datasets: [
        { label: 'effective (s)', data: effective, backgroundColor: '#1f5fa8' },
        { label: 'base (s)', data: base, backgroundColor: '#9ab3cf' },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        tooltip: {
          callbacks: { afterBody: (items) => wrap(lastAnswer.explanations[keyOf(OPERATIONS[items[0].dataIndex])].text) },
        },
      },
    },
  });
}

function wrap(sentence) {
  return sentence.match(/.{1,60}(\s|$)/g) || [sentence];
}
