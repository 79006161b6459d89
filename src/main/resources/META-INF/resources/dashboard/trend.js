// Success rate, p99 and violation rate over time (…/trend), with the window's figures from …/metrics.
import { call, environmentPath, stale } from './api.js';
import { figure, text } from './format.js';

let chart;

export async function loadTrend(environment) {
  const window_ = document.getElementById('trend-window').value;
  const bucket = document.getElementById('trend-bucket').value;
  const [metrics, trend] = await Promise.all([
    call(environmentPath(environment, `metrics?window=${window_}`)),
    call(environmentPath(environment, `trend?window=${window_}&bucket=${bucket}`)),
  ]);
  if (stale(environment)) {
    return metrics;
  }
  const noData = metrics.status === 'no_data';
  figure('success-rate', noData ? null : metrics.success_rate);
  figure('p99', noData ? null : metrics.p99, 3);
  figure('violation-rate', noData ? null : metrics.timeout_violation_rate);
  text('direction', trend.direction);
  renderChart(trend.buckets);
  return { degraded: metrics.degraded === true || trend.degraded === true };
}

function renderChart(buckets) {
  if (!window.Chart) {
    return;
  }
  const labels = buckets.map((b) => new Date(b.start).toISOString().substring(11, 16));
  const series = [
    buckets.map((b) => (b.attempts ? b.success_rate : null)),
    buckets.map((b) => (b.attempts ? b.timeout_violation_rate : null)),
    buckets.map((b) => (b.attempts ? b.p99 : null)),
  ];
  if (chart) {
    chart.data.labels = labels;
    series.forEach((data, i) => { chart.data.datasets[i].data = data; });
    chart.update('none');
    return;
  }
  chart = new window.Chart(document.getElementById('trend-chart'), {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'success rate (%)', data: series[0], borderColor: '#1b7a3a', yAxisID: 'rate', spanGaps: true },
        { label: 'violation rate (%)', data: series[1], borderColor: '#b3261e', yAxisID: 'rate', spanGaps: true },
        { label: 'p99 (s)', data: series[2], borderColor: '#1f5fa8', yAxisID: 'seconds', spanGaps: true },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        rate: { position: 'left', min: 0, max: 100, title: { display: true, text: '%' } },
        seconds: { position: 'right', min: 0, title: { display: true, text: 's' }, grid: { drawOnChartArea: false } },
      },
    },
  });
}
