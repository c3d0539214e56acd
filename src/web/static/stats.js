/**
 * The monitoring dashboard's two charts (/operator/stats), drawn with Chart.js (served from /assets/vendor, set on
 * window.Chart by the classic script before this module runs): counts per local day, and counts per region.
 * The numbers come from the page's JSON data block, the same ones as the table; nothing is fetched.
 */
const $ = (id) => document.getElementById(id);
const COLORS = { registrations: '#0b4f8a', activations: '#1a7f45', verifications: '#b35c00', serviceRequests: '#7b3fa0' };

function draw() {
  const Chart = window.Chart;
  const data = JSON.parse($('stats-data').textContent || '{}');
  if (!Chart || !data.labels) return;
  const measures = Object.keys(data.labels);
  const common = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: 'bottom' } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  };
  new Chart($('stats-chart-days'), {
    type: 'line',
    data: {
      labels: data.byDay.map((d) => d.day),
      datasets: measures.map((m) => ({
        label: data.labels[m],
        data: data.byDay.map((d) => d[m]),
        borderColor: COLORS[m],
        backgroundColor: COLORS[m],
        tension: 0,
        pointRadius: data.byDay.length > 62 ? 0 : 3,
      })),
    },
    options: common,
  });
  // Only regions with something to show: 34 empty provinces would drown the bars that matter.
  const rows = data.rows.filter((r) => measures.some((m) => r[m] > 0));
  new Chart($('stats-chart-regions'), {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.name),
      datasets: measures.map((m) => ({ label: data.labels[m], data: rows.map((r) => r[m]), backgroundColor: COLORS[m] })),
    },
    options: { ...common, indexAxis: rows.length > 8 ? 'y' : 'x' },
  });
  document.body.dataset.chartsReady = 'true';
}

// A period other than a range leaves the date fields out of the address (the server refuses the mix).
function wireFilter() {
  const form = $('stats-filter');
  const period = $('stats-period');
  const sync = () => {
    const range = period.value === 'range';
    for (const id of ['stats-from', 'stats-to']) {
      $(id).disabled = !range;
      $(id).required = range;
    }
  };
  period.addEventListener('change', sync);
  form.addEventListener('submit', sync);
  sync();
}

wireFilter();
draw();
