// "What if": candidate timeouts replayed over recorded history (…/simulate), against the timeouts in
// force. The wait column is Σ min(duration, candidate) − Σ min(duration, timeout in force).
import { call, environmentPath } from './api.js';
import { OPERATIONS, cell, fixed, keyOf } from './format.js';
import { report } from './status.js';

export function simulateInputs(timeoutsInForce) {
  const box = document.getElementById('simulate-inputs');
  if (box.childElementCount === 0) {
    for (const operation of OPERATIONS) {
      const key = keyOf(operation);
      const label = document.createElement('label');
      label.htmlFor = `candidate-${key}`;
      label.textContent = `${operation} (s)`;
      const input = document.createElement('input');
      input.id = `candidate-${key}`;
      input.name = key;
      input.type = 'number';
      input.min = '0.001';
      input.step = 'any';
      input.inputMode = 'decimal';
      const wrapper = document.createElement('div');
      wrapper.append(label, input);
      box.append(wrapper);
    }
  }
  // Placeholders show what is in force; typed candidates are never overwritten by a refresh.
  for (const operation of OPERATIONS) {
    const key = keyOf(operation);
    document.getElementById(`candidate-${key}`).placeholder = fixed(timeoutsInForce[key]);
  }
}

export async function simulate(environment) {
  const timeouts = {};
  for (const input of document.querySelectorAll('#simulate-inputs input')) {
    if (input.value !== '') {
      timeouts[input.name] = Number(input.value);
    }
  }
  if (Object.keys(timeouts).length === 0) {
    report('simulate', { error: { message: 'type at least one candidate timeout' } });
    return;
  }
  try {
    const answer = await call(environmentPath(environment, 'simulate'), { method: 'POST', body: { timeouts } });
    report('simulate', {});
    render(answer.results);
  } catch (error) {
    report('simulate', { error });
  }
}

function render(results) {
  const rows = Object.entries(results).map(([key, result]) => {
    const tr = document.createElement('tr');
    tr.dataset.key = key;
    const delta = result.total_wait_seconds - result.current_total_wait_seconds;
    tr.append(cell(key), cell(String(result.attempts)), cell(String(result.would_time_out), 'would-time-out'),
      cell(`${fixed(result.false_timeout_rate * 100)} %`), cell(`${delta > 0 ? '+' : ''}${fixed(delta)} s`));
    return tr;
  });
  document.querySelector('#simulation tbody').replaceChildren(...rows);
}
