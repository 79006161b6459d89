// Recommended base timeouts (GET …/recommendations, SPEC 10.1): per key the current and the proposed base, the
// sentences that say why, and the backtest over the window under the current policy and under the candidate.
// "Create shadow candidate" PUTs the answer's candidate document, plus a shadow rollout, with the answer's
// If-Match. The page cannot know a key's roles, so the button needs a key and the service decides: a refusal
// (403 without the operator role, 409 beside a candidate, 412 when the policy moved, 428) is shown as its
// problem says, next to the button.
import { ApiError, apiKey, call, environmentPath, stale } from './api.js';
import { OPERATIONS, cell, figure, figureCell, fixed, keyOf, listItems, text } from './format.js';

const CHANGES = ['raise', 'lower'];
let last = null; // { environment, answer } of the latest round drawn
let creating = false;

export async function loadRecommendations(environment) {
  const answer = await call(environmentPath(environment, 'recommendations'));
  if (stale(environment)) {
    return answer;
  }
  if (last?.environment !== environment) {
    outcome('', '');
  }
  last = { environment, answer };
  text('recommend-version', String(answer.policy_version));
  text('recommend-window', answer.window);
  figure('worst-current', answer.worst_case_startup_seconds?.current);
  figure('worst-candidate', answer.worst_case_startup_seconds?.candidate);
  renderTable(answer);
  listItems('recommend-text', answer.text?.length ? answer.text : ['No change proposed.']);
  updateButton();
  return answer;
}

function renderTable(answer) {
  const rows = OPERATIONS.filter((operation) => answer.recommendations?.[keyOf(operation)]).map((operation) => {
    const key = keyOf(operation);
    const r = answer.recommendations[key];
    const now = r.backtest?.current;
    const proposed = r.backtest?.candidate;
    const tr = document.createElement('tr');
    tr.dataset.key = key;
    tr.dataset.action = r.action;
    const action = r.action === 'insufficient_data' ? `insufficient data (${r.samples} of ${r.required_samples})`
      : `${r.action}${r.step_limited ? ' (one step)' : ''}`;
    tr.append(cell(operation), cell(action, `action ${r.action}`),
      figureCell(r.current_base, 2, 'current-base'), figureCell(r.recommended_base, 2, 'recommended-base'),
      figureCell(r.samples, 0, 'samples'), figureCell(r.quantile, 2, 'quantile'),
      figureCell(now?.effective_timeout, 2, 'effective-current'),
      figureCell(proposed?.effective_timeout, 2, 'effective-candidate'),
      figureCell(now?.would_time_out, 0, 'would-time-out-current'),
      figureCell(proposed?.would_time_out, 0, 'would-time-out-candidate'),
      rateCell(now?.false_timeout_rate, 'false-timeout-rate-current'),
      rateCell(proposed?.false_timeout_rate, 'false-timeout-rate-candidate'),
      figureCell(now?.total_wait_seconds, 1, 'wait-current'),
      figureCell(proposed?.total_wait_seconds, 1, 'wait-candidate'));
    return tr;
  });
  document.querySelector('#recommend-table tbody').replaceChildren(...rows);
}

/** A rate of 0 to 1 shown in percent; data-value keeps the API's fraction. */
function rateCell(rate, className) {
  const td = figureCell(rate, 2, className);
  td.textContent = rate === null || rate === undefined ? '–' : `${fixed(rate * 100)} %`;
  return td;
}

/** Enabled only with an answer that changes something and a key to send; otherwise it says what is missing. */
function updateButton() {
  const button = document.getElementById('create-candidate');
  const enterKey = document.getElementById('enter-key');
  const answer = last?.answer;
  const changes = answer ? Object.values(answer.recommendations || {}).filter((r) => CHANGES.includes(r.action)) : [];
  let reason;
  if (!answer) {
    reason = 'Waiting for the recommendations.';
  } else if (!apiKey()) {
    reason = 'Needs an API key with the operator role: enter one to create a candidate.';
  } else if (changes.length === 0) {
    reason = 'Nothing to change: every key is kept or lacks data.';
  } else {
    reason = `Creates the next version from version ${answer.policy_version} with ${changes.length} changed`
      + ` ${changes.length === 1 ? 'key' : 'keys'}, scored in shadow against live traffic and served to no one.`;
  }
  button.disabled = creating || !answer || !apiKey() || changes.length === 0;
  enterKey.hidden = Boolean(apiKey());
  text('create-candidate-reason', reason);
}

/** Wires the button; {@code created} is called after a candidate was made (to redraw the candidate's panels). */
export function wireRecommendations(environmentOf, created) {
  document.getElementById('create-candidate').addEventListener('click', () => create(environmentOf(), created));
  document.getElementById('enter-key').addEventListener('click', () => {
    document.getElementById('key-form').hidden = false;
    document.getElementById('api-key').focus();
  });
  updateButton();
}

async function create(environment, created) {
  const shown = last;
  if (creating || shown?.environment !== environment) {
    return;
  }
  creating = true;
  updateButton();
  outcome('', '');
  try {
    const candidate = await call(environmentPath(environment, 'policy/candidate'), {
      method: 'PUT',
      extraHeaders: { 'If-Match': shown.answer.if_match },
      body: { ...shown.answer.candidate, rollout: { mode: 'shadow' } },
    });
    if (!stale(environment)) {
      outcome(`Created candidate version ${candidate.version} in shadow from version ${shown.answer.policy_version}.`, '');
    }
    created();
  } catch (error) {
    if (!stale(environment)) {
      outcome('', `Not created: ${error instanceof ApiError ? error.explanation : error.message}`);
    }
  } finally {
    creating = false;
    updateButton();
  }
}

function outcome(done, problem) {
  text('create-candidate-done', done);
  const failed = document.getElementById('create-candidate-problem');
  failed.textContent = problem;
  failed.hidden = !problem;
}
