// The rollout of policy versions (SPEC 10.2, 10.3): the candidate with its score and cohorts, the timeline of
// every version's status changes, and the versions in use by the instances the service has seen. The
// candidate is read only when the versions list has one, so that a page on an environment without a
// candidate never asks for a 404.
import { call, environmentPath, stale } from './api.js';
import { OPERATIONS, cell, element, figure, figureCell, fixed, keyOf, text, time } from './format.js';

/** At most this many instances per environment are listed (SPEC 10.3). */
const LIMIT = 10000;
let versionsShown = null; // { environment, items } of the latest round: the statuses of the versions in use
let instancesShown = null; // { environment, answer }

export async function loadRollout(environment) {
  const versions = await call(environmentPath(environment, 'policy/versions'));
  const listed = versions.items.find((v) => v.status === 'candidate');
  let candidate = null;
  if (listed) {
    try {
      candidate = await call(environmentPath(environment, 'policy/candidate'));
    } catch (error) {
      if (error.status !== 404) {
        throw error;
      } // promoted, aborted or rolled back since the list was read: the next round shows it
    }
  }
  if (stale(environment)) {
    return versions;
  }
  versionsShown = { environment, items: versions.items };
  renderCandidate(candidate);
  renderTimeline(versions.items);
  renderInUse();
  return versions;
}

export async function loadInstances(environment) {
  const answer = await call(environmentPath(environment, 'instances'));
  if (stale(environment)) {
    return answer;
  }
  instancesShown = { environment, answer };
  renderInUse();
  return answer;
}

function renderCandidate(candidate) {
  document.getElementById('candidate-none').hidden = candidate !== null;
  document.getElementById('candidate-details').hidden = candidate === null;
  if (candidate === null) {
    return;
  }
  const rollout = candidate.rollout || {};
  figure('candidate-version', candidate.version, 0);
  const mode = document.getElementById('candidate-mode');
  mode.textContent = rollout.mode === 'canary' ? `canary, ${rollout.percent} % of instances` : String(rollout.mode);
  mode.dataset.value = rollout.mode ?? '';
  mode.dataset.percent = rollout.percent ?? '';
  const status = document.getElementById('candidate-status');
  status.textContent = candidate.status;
  status.dataset.value = candidate.status;
  status.className = `state ${candidate.status}`;
  text('candidate-created', `${time(candidate.updated_at)} by ${candidate.updated_by}`);
  const guard = rollout.guard;
  text('candidate-guard', rollout.mode === 'canary' && guard
    ? `Rolled back by itself once the canary cohort has ${guard.min_attempts} connection attempts and its violation`
      + ` rate exceeds the control's by more than ${fixed(guard.max_violation_rate_increase, 1)} points, or its`
      + ` failure rate by more than ${fixed(guard.max_failure_rate_increase, 1)} points.`
    : 'In shadow: every answer comes from the current version; each attempt is scored against both.');
  const keys = candidate.score?.keys || {};
  document.querySelector('#candidate-score tbody').replaceChildren(...OPERATIONS.map((operation) => {
    const key = keyOf(operation);
    const s = keys[key] || {};
    const tr = document.createElement('tr');
    tr.dataset.key = key;
    tr.append(cell(operation), figureCell(candidate.base_timeouts?.[key], 2, 'base'), figureCell(s.attempts, 0, 'attempts'),
      figureCell(s.violations_current, 0, 'violations-current'),
      figureCell(s.violations_candidate, 0, 'violations-candidate'),
      figureCell(s.violation_rate_current, 2, 'violation-rate-current'),
      figureCell(s.violation_rate_candidate, 2, 'violation-rate-candidate'),
      figureCell(s.mean_timeout_current, 2, 'mean-timeout-current'),
      figureCell(s.mean_timeout_candidate, 2, 'mean-timeout-candidate'));
    return tr;
  }));
  const cohorts = candidate.score?.cohorts || {};
  document.querySelector('#candidate-cohorts tbody').replaceChildren(...['canary', 'control'].map((name) => {
    const c = cohorts[name] || {};
    const tr = document.createElement('tr');
    tr.dataset.cohort = name;
    tr.append(cell(name === 'canary' ? `canary (version ${candidate.version})` : 'control (current version)'),
      figureCell(c.attempts, 0, 'attempts'), figureCell(c.violation_rate, 2, 'violation-rate'),
      figureCell(c.failure_rate, 2, 'failure-rate'));
    return tr;
  }));
}

/** Per version, what happened to it and when, derived from the statuses the versions list gives. */
export function transitions(items) {
  const ascending = [...items].sort((a, b) => a.version - b.version);
  const events = new Map(ascending.map((v) => [v.version, [created(v)]]));
  // A version that was ever current was replaced, at its status_changed_at, by the next one that became current:
  // an ordinary change, or a candidate promoted then (the promotion stamps both rows with the same time).
  const everCurrent = ascending.filter((v) => v.status === 'current' || v.status === 'superseded');
  for (let i = 0; i + 1 < everCurrent.length; i++) {
    const [old, next] = [everCurrent[i], everCurrent[i + 1]];
    if (next.rollout) {
      events.get(next.version).push({ event: 'promoted', at: old.status_changed_at, by: old.status_changed_by,
        text: `promoted to current, replacing version ${old.version}` });
    }
    events.get(old.version).push({ event: 'superseded', at: old.status_changed_at, by: old.status_changed_by,
      text: `superseded by version ${next.version}` });
  }
  for (const v of ascending) {
    const reason = v.status_reason || {};
    if (v.status === 'aborted') {
      events.get(v.version).push({ event: 'aborted', at: v.status_changed_at, by: v.status_changed_by,
        text: reason.replaced_by_a_new_candidate ? 'aborted: replaced by a new candidate' : 'aborted' });
    } else if (v.status === 'rolled_back') {
      events.get(v.version).push({ event: 'rolled_back', at: v.status_changed_at, by: v.status_changed_by,
        text: `rolled back: ${reason.reason ?? 'no reason given'}${cohortFigures(reason)}` });
    }
  }
  const when = (e) => (e.at ? Date.parse(e.at) : Infinity);
  events.forEach((list) => list.sort((a, b) => when(a) - when(b)));
  return events;
}

function created(v) {
  const rollout = v.rollout;
  const as = !rollout ? (v.version === 1 ? 'created' : 'created and served at once')
    : `created as a ${rollout.mode} candidate${rollout.mode === 'canary' ? ` for ${rollout.percent} % of instances` : ''}`;
  return { event: 'created', at: v.updated_at, by: v.updated_by, text: as };
}

function cohortFigures(reason) {
  const one = (name) => {
    const c = reason[name];
    return c ? `${name} ${c.attempts} attempts, violation rate ${fixed(c.violation_rate, 1)} %,`
      + ` failure rate ${fixed(c.failure_rate, 1)} %` : null;
  };
  const figures = [one('canary'), one('control')].filter(Boolean);
  return figures.length ? ` (${figures.join('; ')})` : '';
}

function renderTimeline(items) {
  const events = transitions(items);
  document.getElementById('timeline').replaceChildren(...items.map((v) => {
    const li = document.createElement('li');
    li.dataset.version = String(v.version);
    li.dataset.status = v.status;
    const heading = element('p', '', 'version');
    heading.append(element('strong', `Version ${v.version}`), ' ',
      element('span', v.status.replace('_', ' '), `state ${v.status}`));
    const list = element('ol', '', 'events');
    list.append(...events.get(v.version).map((e) => {
      const item = element('li', '');
      item.dataset.event = e.event;
      const at = element('time', e.at ? time(e.at) : 'time unknown');
      if (e.at) {
        at.dateTime = e.at;
      }
      item.append(at, ' ', element('span', e.text, 'what'), e.by ? element('span', ` by ${e.by}`, 'muted') : '');
      return item;
    }));
    li.append(heading, list);
    return li;
  }));
}

function renderInUse() {
  if (!instancesShown || stale(instancesShown.environment)) {
    return;
  }
  const { answer } = instancesShown;
  const statuses = versionsShown?.environment === instancesShown.environment
    ? new Map(versionsShown.items.map((v) => [String(v.version), v.status])) : new Map();
  const served = answer.versions?.served || {};
  const reported = answer.versions?.reported || {};
  const versions = [...new Set([...Object.keys(served), ...Object.keys(reported)])].sort((a, b) => b - a);
  document.querySelector('#versions-in-use tbody').replaceChildren(...versions.map((version) => {
    const tr = document.createElement('tr');
    tr.dataset.version = version;
    tr.append(cell(version), cell(statuses.get(version)?.replace('_', ' ') ?? '–', 'status'),
      figureCell(served[version] ?? 0, 0, 'served'), figureCell(reported[version] ?? 0, 0, 'reported'));
    return tr;
  }));
  const count = answer.items?.length ?? 0;
  figure('instances-count', count, 0);
  text('instances-since', time(answer.since));
  text('instances-bound', count >= LIMIT
    ? `At the bound of ${LIMIT.toLocaleString('en')} instances: the least recently seen are not listed.`
    : `The service keeps at most ${LIMIT.toLocaleString('en')} instances per environment.`);
  document.getElementById('instances-none').hidden = versions.length > 0;
}
