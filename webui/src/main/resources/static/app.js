// KafkaCoins dashboard: history from /api/rates on load, then live updates from /api/stream (SSE).
// No framework and no inline script, so the Content-Security-Policy can forbid inline code.
'use strict';

const WINDOW_SECONDS = 300;
const points = new Map();           // "<epoch s>|<hasher>" -> hashes in that second (absolute, so re-sends overwrite)
const colors = ['#f0b429', '#58a6ff', '#3fb950', '#f85149', '#bc8cff', '#39c5cf', '#ff9bce', '#d29922'];
let chart;

const $ = (id) => document.getElementById(id);
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en');

function addPoints(list) {
  for (const p of list) {
    points.set(Math.floor(Date.parse(p.t) / 1000) + '|' + p.hasher, p.hashes);
  }
}

function setStatus(state, text) {
  const el = $('connection');
  el.className = 'status ' + state;
  el.textContent = text;
}

function showSummary(s) {
  $('rate').textContent = compact.format(s.rate);
  $('hashes').textContent = compact.format(s.hashes);
  $('coins').textContent = whole.format(s.coins);
  $('blocks').textContent = whole.format(s.blocks);
  $('hashers').textContent = whole.format(s.hashers);
}

let shownCoins = '';

function showCoins(coins) {
  const key = coins.map((c) => c.hash).join();
  if (key === shownCoins) return;   // unchanged: keep the elements, so a click in progress still lands
  shownCoins = key;
  const list = $('coin-list');
  list.replaceChildren(...coins.map((c) => {
    const li = document.createElement('li');
    li.textContent = c.hash;
    li.title = 'found by ' + c.hasher + ' in ' + c.block;
    li.dataset.hash = c.hash;
    li.addEventListener('click', () => verify(c.hash));
    if (c.traceUrl) {
      // The block's trace: rng's send, the hasher's transaction, the aggregator, the sink's write, this push.
      const trace = document.createElement('a');
      trace.className = 'trace';
      trace.href = c.traceUrl;
      trace.target = '_blank';
      trace.rel = 'noopener';
      trace.textContent = 'trace';
      trace.title = 'this coin\'s block, traced end to end (Zipkin)';
      trace.addEventListener('click', (e) => e.stopPropagation());
      li.replaceChildren(trace, document.createTextNode(' ' + c.hash));
    }
    return li;
  }));
}

async function verify(hash) {
  const box = $('coin-check');
  box.hidden = false;
  box.textContent = 'verifying ' + hash + '…';
  const response = await fetch('/api/coins/' + hash);
  const body = await response.json();
  const mark = document.createElement('span');
  if (response.ok && body.verified) {
    mark.className = 'verified';
    mark.textContent = '✓ verified ';
  } else {
    mark.className = 'not-verified';
    mark.textContent = '✗ not verified ';
  }
  const detail = document.createElement('span');
  detail.textContent = response.ok
    ? hash + ' = SHA-256(seed ‖ ' + body.coin.nonce + '), ' + body.coin.difficulty + '+ leading zero bits'
    : body.detail;
  box.replaceChildren(mark, detail);
}

function renderChart() {
  const now = Math.floor(Date.now() / 1000) - 1;   // the second in progress is still being counted
  const seconds = [];
  for (let t = now - WINDOW_SECONDS + 1; t <= now; t++) seconds.push(t);
  const hashers = [...new Set([...points.keys()].map((k) => k.split('|')[1]))].sort();
  for (const key of points.keys()) {
    if (Number(key.split('|')[0]) < now - WINDOW_SECONDS) points.delete(key);
  }
  const datasets = hashers.map((h, i) => ({
    label: h,
    data: seconds.map((t) => points.get(t + '|' + h) || 0),
    backgroundColor: colors[i % colors.length],
    borderWidth: 0,
    barPercentage: 1.0,
    categoryPercentage: 1.0,
  }));
  const labels = seconds.map((t) => new Date(t * 1000).toLocaleTimeString());
  if (!chart) {
    chart = new Chart($('chart'), {
      type: 'bar',
      data: { labels, datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          x: { stacked: true, ticks: { color: '#8b949e', maxTicksLimit: 10 }, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { color: '#8b949e', callback: (v) => compact.format(v) } },
        },
        plugins: { legend: { labels: { color: '#e6e6e6' } } },
      },
    });
  } else {
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.update('none');
  }
  $('chart').dataset.points = String(points.size);
}

async function refreshGroup() {
  try {
    const response = await fetch('/api/group');
    const g = await response.json();
    if (!response.ok) {
      $('group-summary').textContent = g.detail;
      return;
    }
    const idle = g.members.filter((m) => m.idle).length;
    $('group-summary').textContent = g.members.length + (g.members.length === 1 ? ' member, ' : ' members, ')
      + g.partitions + ' partitions, total lag '
      + whole.format(g.totalLag) + (idle ? ' — ' + idle + ' idle: more members than partitions' : '');
    $('members').replaceChildren(...g.members.map((m) => row([m.clientId, m.partitions.join(', ') || '–',
      m.idle ? 'idle' : 'working'], m.idle ? 'idle' : '')));
    $('lag').replaceChildren(...g.lag.map((p) => row([p.partition, whole.format(p.committed), whole.format(p.end),
      whole.format(p.lag)], '')));
  } catch (e) {
    $('group-summary').textContent = 'consumer group unavailable';
  }
}

// The alerts of the stack's Prometheus, as the webui reads them from its API. Without a Prometheus (404) the section
// stays hidden; when it cannot be read (503) the section says so instead of showing an empty, reassuring list.
let alertsTimer;

async function refreshAlerts() {
  try {
    const response = await fetch('/api/alerts');
    const a = await response.json();
    if (response.status === 404) {
      // No Prometheus is configured, and configuration does not change while the webui runs: stop asking.
      $('alerts').hidden = true;
      clearInterval(alertsTimer);
      return;
    }
    $('alerts').hidden = false;
    if (!response.ok) {
      $('alerts-summary').textContent = a.detail;
      $('alert-list').replaceChildren();
      return;
    }
    // Its root, not a page under it: Prometheus's own UI redirects to where its pages are, which differs by build
    // (Debian's serves the classic UI, under /classic/).
    $('prometheus-link').href = a.prometheus + '/';
    const firing = a.alerts.filter((x) => x.state === 'firing').length;
    const pending = a.alerts.length - firing;
    $('alerts-summary').textContent = a.alerts.length === 0 ? 'none pending or firing'
      : firing + ' firing' + (pending ? ', ' + pending + ' pending' : '');
    $('alert-list').replaceChildren(...a.alerts.map((x) => {
      const li = document.createElement('li');
      li.dataset.alert = x.name;
      li.dataset.state = x.state;
      const state = document.createElement('span');
      state.className = 'alert-state ' + x.state;
      state.textContent = x.state;
      const name = document.createElement('strong');
      name.textContent = x.name;
      const summary = document.createElement('span');
      summary.textContent = ' ' + x.summary;
      const since = document.createElement('span');
      since.className = 'alert-since';
      since.textContent = x.since ? 'since ' + new Date(x.since).toLocaleTimeString() : '';
      li.append(state, name, summary, since);
      return li;
    }));
  } catch (e) {
    // The webui itself is away: the last list may be out of date, so none is better than a stale one.
    $('alerts-summary').textContent = 'alerts unavailable';
    $('alert-list').replaceChildren();
  }
}

function row(cells, className) {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.appendChild(td);
  }
  return tr;
}

function connect() {
  const stream = new EventSource('/api/stream');   // reconnects by itself and sends Last-Event-ID
  stream.onopen = () => setStatus('live', 'live');
  stream.addEventListener('update', (e) => {
    const u = JSON.parse(e.data);
    showSummary(u.summary);
    addPoints(u.points);
    showCoins(u.newestCoins);
    renderChart();
    setStatus('live', 'live');
  });
  stream.onerror = () => {
    setStatus(stream.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting',
      stream.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…');
  };
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  return response.json();
}

async function start() {
  // History first; if it cannot be had the live stream still starts, and its updates fill the chart.
  try {
    const [summary, rates] = await Promise.all([getJson('/api/summary'), getJson('/api/rates')]);
    showSummary(summary);
    addPoints(rates.points);
  } catch (e) {
    console.warn('no history yet:', e.message);
  }
  renderChart();
  connect();
  refreshGroup();
  setInterval(refreshGroup, 2000);
  refreshAlerts();
  alertsTimer = setInterval(refreshAlerts, 5000);   // Prometheus evaluates every 15 s; the webui caches 5 s
  setInterval(renderChart, 1000);   // the chart scrolls even between updates
}

document.addEventListener('DOMContentLoaded', start);
