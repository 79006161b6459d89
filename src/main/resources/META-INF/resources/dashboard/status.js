// The banner: one line per panel whose last answer said degraded or failed, gone when they recover.
const problems = new Map();
let keyNeeded = () => {};

export function onKeyNeeded(callback) {
  keyNeeded = callback;
}

/** Records the outcome of one panel's request: an answer (maybe degraded) or an ApiError. */
export function report(panel, { degraded = false, error = null } = {}) {
  if (error?.status === 401) {
    keyNeeded();
  }
  if (error) {
    problems.set(panel, describe(panel, error));
  } else if (degraded) {
    problems.set(panel, `${panel}: answered from memory (degraded) — the service's database is unavailable or catching up`);
  } else {
    problems.delete(panel);
  }
  render();
}

function describe(panel, error) {
  if (error.historyLoading) {
    return `${panel}: the history is still loading on this replica; figures appear as soon as it is read`;
  }
  if (error.status === 401 || error.status === 403) {
    return `${panel}: the service needs an API key for reads (${error.message})`;
  }
  return `${panel}: request failed — ${error.message}`;
}

function render() {
  const banner = document.getElementById('banner');
  const lines = [...problems.values()];
  banner.hidden = lines.length === 0;
  banner.classList.toggle('degraded', lines.length > 0);
  banner.replaceChildren(...lines.map((line) => {
    const p = document.createElement('p');
    p.textContent = line;
    return p;
  }));
}
