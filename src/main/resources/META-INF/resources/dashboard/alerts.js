// The live alert feed: seeded from GET /alerts (so a reload is not empty), then the SSE stream. The
// stream is read with fetch rather than EventSource so that it can carry the API key when readers need
// one; when it ends or fails it reconnects by itself, with a growing pause, and re-seeds the feed.
import { call, headers } from './api.js';
import { report } from './status.js';
import { time } from './format.js';

const SHOWN = 50;
const alerts = new Map();
let current = null;

export function followAlerts(environment) {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  alerts.clear();
  render();
  connect(environment, controller, 1000);
}

async function connect(environment, controller, pauseMs) {
  const env = encodeURIComponent(environment);
  try {
    const seed = await call(`/api/v1/alerts?environment=${env}`);
    if (controller.signal.aborted) {
      return;
    }
    seed.items.forEach(remember);
    render();
    report('alerts', {});
    const response = await fetch(`/api/v1/alerts/stream?environment=${env}`,
      { headers: headers({ Accept: 'text/event-stream' }), signal: controller.signal });
    if (!response.ok) {
      throw new Error(`alert stream answered HTTP ${response.status}`);
    }
    streamState('live');
    pauseMs = 1000;
    await read(response.body.getReader());
  } catch (error) {
    if (controller.signal.aborted) {
      return;
    }
    report('alerts', { error: error.status !== undefined ? error : { message: error.message } });
  }
  if (controller.signal.aborted) {
    return;
  }
  streamState('reconnecting…');
  setTimeout(() => connect(environment, controller, Math.min(pauseMs * 2, 15000)), pauseMs);
}

async function read(reader) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      event(buffer.substring(0, end));
      buffer = buffer.substring(end + 2);
    }
  }
}

/** One SSE event: only `alert` events carry data; comments (heartbeats) are ignored. */
function event(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) {
      name = line.substring(6).trim();
    } else if (line.startsWith('data:')) {
      data.push(line.substring(5).replace(/^ /, ''));
    }
  }
  if (name === 'alert' && data.length) {
    remember(JSON.parse(data.join('\n')));
    render();
  }
}

function remember(alert) {
  const known = alerts.get(alert.id);
  if (!known || known.last_seen <= alert.last_seen) {
    alerts.set(alert.id, alert);
  }
}

function streamState(state) {
  document.getElementById('stream-state').textContent = state;
}

function render() {
  const newest = [...alerts.values()].sort((a, b) => (a.last_seen < b.last_seen ? 1 : -1)).slice(0, SHOWN);
  const items = newest.map((alert) => {
    const li = document.createElement('li');
    li.className = `alert ${alert.level}`;
    li.dataset.id = alert.id;
    const level = document.createElement('strong');
    level.textContent = alert.level;
    const what = document.createElement('span');
    what.textContent = ` ${alert.operation} · ${alert.type} — ${alert.message}`;
    const when = document.createElement('small');
    when.textContent = ` ${time(alert.last_seen)}${alert.occurrences > 1 ? ` ×${alert.occurrences}` : ''}`;
    li.append(level, what, when);
    return li;
  });
  const list = document.getElementById('alerts');
  if (items.length === 0) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = 'No alerts in this environment.';
    items.push(li);
  }
  list.replaceChildren(...items);
}
