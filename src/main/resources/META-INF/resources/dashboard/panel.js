// Each panel refreshes itself on its own timer, with at most one request in flight: the next round is
// scheduled only after the previous answer (or failure), so a slow service is never sent a pile of
// requests. A change made by the reader (environment, toggle, filter) asks for a round now; if one is
// in flight, one more follows it instead of a second one in parallel.
import { report } from './status.js';

export class Panel {
  constructor(name, load, intervalMs) {
    this.name = name;
    this.load = load;
    this.intervalMs = intervalMs;
    this.inFlight = false;
    this.again = false;
    this.timer = null;
  }

  now() {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.round();
  }

  async round() {
    this.inFlight = true;
    try {
      const answer = await this.load();
      report(this.name, { degraded: answer?.degraded === true });
    } catch (error) {
      report(this.name, { error });
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        this.round();
      } else {
        this.timer = setTimeout(() => this.round(), this.intervalMs);
      }
    }
  }
}
