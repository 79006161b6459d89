// The fleet circuit (closed / open with a countdown / half-open) and the assessment with its issues and
// recommendations. The countdown ticks locally between refreshes, from the answer's retry_after_seconds.
import { call, environmentPath, stale } from './api.js';
import { listItems, text } from './format.js';

let openUntil = null;
setInterval(tick, 1000);

export async function loadCircuit(environment) {
  const circuit = await call(environmentPath(environment, 'circuit'));
  if (stale(environment)) {
    return circuit;
  }
  const state = document.getElementById('circuit-state');
  state.textContent = circuit.state.replace('_', '-');
  state.dataset.value = circuit.state;
  state.className = `state ${circuit.state}`;
  text('consecutive-failures', String(circuit.consecutive_failures));
  openUntil = circuit.state === 'open' && circuit.retry_after_seconds !== null
    ? Date.now() + circuit.retry_after_seconds * 1000 : null;
  tick();
  return circuit;
}

function tick() {
  const countdown = document.getElementById('circuit-countdown');
  if (openUntil === null) {
    countdown.textContent = '';
    return;
  }
  const seconds = Math.max(0, Math.ceil((openUntil - Date.now()) / 1000));
  countdown.textContent = seconds > 0 ? `half-open in ${seconds} s` : 'half-open now';
}

export async function loadAssessment(environment) {
  const assessment = await call(environmentPath(environment, 'assessment'));
  if (stale(environment)) {
    return assessment;
  }
  const status = document.getElementById('assessment-status');
  status.textContent = assessment.status.replace('_', ' ');
  status.className = `state ${assessment.status}`;
  listItems('issues', assessment.issues);
  listItems('recommendations', assessment.recommendations);
  return assessment;
}
