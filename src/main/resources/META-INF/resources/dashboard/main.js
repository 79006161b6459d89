// Wiring: the environment picker (kept in the URL, ?environment=staging), one self-refreshing Panel per
// panel, and the reader's controls. ?refresh=<seconds> sets the refresh interval (default 10 s), so that
// tests and wall screens can choose their own pace.
import { call, apiKey, setApiKey, show } from './api.js';
import { Panel } from './panel.js';
import { onKeyNeeded, report } from './status.js';
import { loadTimeouts, timeoutsInForce } from './timeouts.js';
import { loadTrend } from './trend.js';
import { loadAssessment, loadCircuit } from './health.js';
import { followAlerts } from './alerts.js';
import { loadDecisions, loadMore, resetDecisions } from './decisions.js';
import { simulate, simulateInputs } from './simulate.js';
import { loadRecommendations, wireRecommendations } from './recommendations.js';
import { loadInstances, loadRollout } from './rollout.js';

const params = new URLSearchParams(location.search);
const refreshSeconds = Number(params.get('refresh'));
const intervalMs = Number.isFinite(refreshSeconds) && refreshSeconds >= 0.2 ? refreshSeconds * 1000 : 10000;
let environment = null;

const panels = [
  new Panel('timeouts', async () => {
    const answer = await loadTimeouts(environment, () => panel('timeouts').now());
    simulateInputs(timeoutsInForce());
    return answer;
  }, intervalMs),
  new Panel('trend', () => loadTrend(environment), intervalMs),
  new Panel('circuit', () => loadCircuit(environment), intervalMs),
  new Panel('assessment', () => loadAssessment(environment), intervalMs),
  new Panel('decisions', () => loadDecisions(environment), intervalMs),
  new Panel('recommendations', () => loadRecommendations(environment), intervalMs),
  new Panel('rollout', () => loadRollout(environment), intervalMs),
  new Panel('instances', () => loadInstances(environment), intervalMs),
];
const panel = (name) => panels.find((p) => p.name === name);

/** The key form shows when an answer was 401 (readers need a key) or a key is already in use. */
function wireKey() {
  const keyForm = document.getElementById('key-form');
  keyForm.hidden = !apiKey();
  onKeyNeeded(() => { keyForm.hidden = false; });
  keyForm.addEventListener('submit', (e) => {
    e.preventDefault();
    setApiKey(document.getElementById('api-key').value.trim());
    location.reload();
  });
}

async function start() {
  let environments;
  try {
    environments = (await call('/api/v1/environments')).items.map((item) => item.environment);
    report('environments', {});
  } catch (error) {
    report('environments', { error });
    setTimeout(start, intervalMs);
    return;
  }
  const wanted = (params.get('environment') || '').toLowerCase();
  environment = environments.includes(wanted) ? wanted
    : (environments.includes('staging') ? 'staging' : environments[0]);
  const select = document.getElementById('environment');
  select.replaceChildren(...environments.map((name) => new Option(name, name, false, name === environment)));
  select.addEventListener('change', () => choose(select.value));
  wireControls();
  show(environment);
  remember();
  followAlerts(environment);
  panels.forEach((p) => p.now());
}

function choose(name) {
  environment = name;
  show(environment);
  remember();
  resetDecisions();
  followAlerts(environment);
  panels.forEach((p) => p.now());
}

/** The environment in the URL, so that a reload or a shared link shows the same one. */
function remember() {
  const url = new URL(location.href);
  url.searchParams.set('environment', environment);
  history.replaceState(null, '', url);
}

function wireControls() {
  ['trend-window', 'trend-bucket'].forEach((id) =>
    document.getElementById(id).addEventListener('change', () => panel('trend').now()));
  document.getElementById('trend-form').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('picker').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('decision-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    resetDecisions();
    panel('decisions').now();
  });
  document.getElementById('load-more').addEventListener('click', () =>
    loadMore(environment).then(() => report('decisions', {}), (error) => report('decisions', { error })));
  document.getElementById('simulate-form').addEventListener('submit', (e) => {
    e.preventDefault();
    simulate(environment);
  });
  // A candidate just created: its panel, the timeline and the proposals (now against a candidate) at once.
  wireRecommendations(() => environment, () => ['rollout', 'recommendations'].forEach((name) => panel(name).now()));
}

wireKey();
start();
