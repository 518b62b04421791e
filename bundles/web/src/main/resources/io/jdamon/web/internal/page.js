// jdamon's web view: the index and the per-context page. Only reads (GET, EventSource).
const jdamon = (() => {
  'use strict';
  const COLS = 240;          // live columns kept (the server's ring holds as many)
  const WIDTH = 720, ROWS = 256;
  const PLOT_X = 90, PLOT_Y = 10;

  const esc = s => String(s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  const el = id => document.getElementById(id);
  function bytes(n) {
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
  }
  const hex = n => '0x' + Math.round(n).toString(16);
  function parseAddress(s) {
    s = s.trim();
    if (!s) return null;
    const m = /^(0x[0-9a-f]+|[0-9]+)\s*([kmgt]i?b?)?$/i.exec(s);
    if (!m) return NaN;
    let v = m[1].toLowerCase().startsWith('0x') ? parseInt(m[1], 16) : parseInt(m[1], 10);
    if (m[2]) v *= Math.pow(1024, 'kmgt'.indexOf(m[2][0].toLowerCase()) + 1);
    return v;
  }
  // the colour scale: 0 accesses black, through red and yellow, to white at every sample
  function heat(v) {
    if (v < 0) return [24, 24, 48];           // no region there
    const c = x => Math.round(255 * Math.max(0, Math.min(1, x)));
    return [c(3 * v), c(3 * v - 1), c(3 * v - 2)];
  }

  function index() {
    const es = new EventSource('events');
    es.addEventListener('statuses', ev => {
      const list = JSON.parse(ev.data);
      el('contexts').innerHTML = list.length === 0 ? '<tr><td colspan="8">no context (drop io.jdamon.context-NAME.cfg into deploy/)</td></tr>'
        : list.map(s => '<tr><td><a href="context?name=' + encodeURIComponent(s.name) + '">' + esc(s.name) + '</a></td>'
          + '<td class="state-' + s.state + '">' + s.state + '</td><td>' + esc(s.detail || s.stopReason) + '</td>'
          + '<td>' + esc(s.primitive) + '</td><td>' + esc(s.sensor.sensor || '') + '</td>'
          + '<td class="num">' + s.samples + '</td><td class="num">' + s.aggregations + '</td><td class="num">' + s.regions + '</td></tr>').join('');
    });
    fetch('api/records').then(r => r.json()).then(r => {
      el('records-folder').textContent = 'from ' + r.folder;
      el('records').innerHTML = r.files.length === 0 ? '<li class="small">none</li>'
        : r.files.map(f => '<li><a href="context?record=' + encodeURIComponent(f.name) + '">' + esc(f.name) + '</a> <span class="small">' + bytes(f.bytes) + '</span></li>').join('');
    });
  }

  function context() {
    const params = new URLSearchParams(location.search);
    const name = params.get('name'), file = params.get('record');
    const columns = [];
    const drawnAt = new Map();   // seq -> when first drawn (epoch ms), live columns only
    const latencies = [];        // drawn - seen by the server, for columns that arrived live
    let live = false, status = null, targets = [], scheduled = false, lastRange = null;
    const target = () => Math.max(0, el('target').selectedIndex);

    function setTargets(list) {
      if (JSON.stringify(list) === JSON.stringify(targets)) return;
      targets = list;
      el('target').innerHTML = list.map((t, i) => '<option value="' + i + '">' + esc(i + ': ' + t) + '</option>').join('');
    }
    function schedule() {
      if (!scheduled) { scheduled = true; setTimeout(draw, 0); }
    }
    function range() {
      const lo = parseAddress(el('lo').value), hi = parseAddress(el('hi').value);
      let aLo = Infinity, aHi = -Infinity;
      for (const c of columns) {
        const rs = c.targets[target()] || [];
        if (rs.length) { aLo = Math.min(aLo, rs[0][0]); aHi = Math.max(aHi, rs[rs.length - 1][1]); }
      }
      const r = [lo === null || isNaN(lo) ? aLo : lo, hi === null || isNaN(hi) ? aHi : hi];
      return r[1] > r[0] ? r : null;
    }

    function draw() {
      scheduled = false;
      const n = columns.length;
      const r = range();
      lastRange = r;
      const cw = file ? WIDTH / Math.max(1, n) : WIDTH / COLS;
      const hm = el('heatmap').getContext('2d');
      hm.fillStyle = 'rgb(24,24,48)';
      hm.fillRect(0, 0, WIDTH, ROWS);
      if (n > 0 && r) {
        const img = hm.createImageData(n, ROWS);
        const step = (r[1] - r[0]) / ROWS;
        const acc = new Float64Array(ROWS), cov = new Float64Array(ROWS);
        columns.forEach((c, x) => {
          acc.fill(0); cov.fill(0);
          for (const [s, e, nr] of (c.targets[target()] || [])) {
            const a = Math.max(s, r[0]), b = Math.min(e, r[1]);
            if (b <= a) continue;
            const rate = Math.min(1, nr / Math.max(1, c.max));
            // rows count from the top: row 0 holds the highest addresses
            const rTop = Math.max(0, Math.floor((r[1] - b) / step)), rBottom = Math.min(ROWS - 1, Math.floor((r[1] - a) / step));
            for (let y = rTop; y <= rBottom; y++) {
              const yHi = r[1] - y * step, yLo = yHi - step;
              const o = Math.min(b, yHi) - Math.max(a, yLo);
              if (o > 0) { acc[y] += o * rate; cov[y] += o; }
            }
          }
          for (let y = 0; y < ROWS; y++) {
            const [R, G, B] = heat(cov[y] > 0 ? acc[y] / cov[y] : -1);
            const i = 4 * (y * n + x);
            img.data[i] = R; img.data[i + 1] = G; img.data[i + 2] = B; img.data[i + 3] = 255;
          }
        });
        const off = document.createElement('canvas');
        off.width = n; off.height = ROWS;
        off.getContext('2d').putImageData(img, 0, 0);
        hm.imageSmoothingEnabled = false;
        hm.drawImage(off, 0, 0, n * cw, ROWS);
      }
      drawAxes(r, cw);
      drawWss(cw);
      drawRegions();
      const now = Date.now();
      for (const c of columns) {
        if (live && !drawnAt.has(c.seq)) {
          drawnAt.set(c.seq, now);
          if (c.live) latencies.push(now - c.seen);
          if (latencies.length > 1000) latencies.shift();
        }
      }
      if (drawnAt.size > 4 * COLS) { for (const k of [...drawnAt.keys()].slice(0, drawnAt.size - COLS)) drawnAt.delete(k); }
      const hook = {columns: n, colWidth: cw, rows: ROWS, lo: r ? r[0] : null, hi: r ? r[1] : null, target: target(),
        times: columns.map(c => c.t1), starts: columns.map(c => c.t0), latenciesMs: latencies.slice(-200)};
      window.jdamonHook = hook;
      el('test-hook').textContent = JSON.stringify(hook);
    }

    function drawAxes(r, cw) {
      const g = el('axes').getContext('2d');
      g.clearRect(0, 0, 820, 300);
      g.strokeStyle = '#444'; g.fillStyle = '#222'; g.font = '11px sans-serif';
      g.strokeRect(PLOT_X - 0.5, PLOT_Y - 0.5, WIDTH + 1, ROWS + 1);
      if (r) {
        g.textAlign = 'right'; g.textBaseline = 'middle';
        for (let i = 0; i <= 4; i++) {
          const y = PLOT_Y + i * ROWS / 4;
          g.fillText(hex(r[1] - i * (r[1] - r[0]) / 4), PLOT_X - 6, y);
          g.beginPath(); g.moveTo(PLOT_X - 4, y); g.lineTo(PLOT_X, y); g.stroke();
        }
      }
      g.textAlign = 'center'; g.textBaseline = 'top';
      const n = columns.length;
      const every = Math.max(1, Math.ceil(n / 8));
      for (let i = 0; i < n; i += every) {
        const x = PLOT_X + (i + 0.5) * cw;
        g.fillText(columns[i].t1.toFixed(1), x, PLOT_Y + ROWS + 6);
        g.beginPath(); g.moveTo(x, PLOT_Y + ROWS); g.lineTo(x, PLOT_Y + ROWS + 4); g.stroke();
      }
      g.fillText('time since the run started (s)', PLOT_X + WIDTH / 2, PLOT_Y + ROWS + 22);
      g.save(); g.translate(12, PLOT_Y + ROWS / 2); g.rotate(-Math.PI / 2); g.fillText('address', 0, 0); g.restore();
      const l = el('legend').getContext('2d');
      l.clearRect(0, 0, 90, 256);
      for (let y = 0; y < 200; y++) { const [R, G, B] = heat(1 - y / 199); l.fillStyle = 'rgb(' + R + ',' + G + ',' + B + ')'; l.fillRect(0, y + 8, 20, 1); }
      l.fillStyle = 'rgb(24,24,48)'; l.fillRect(0, 226, 20, 14);
      l.fillStyle = '#222'; l.font = '11px sans-serif'; l.textBaseline = 'middle';
      l.fillText('100%', 26, 8); l.fillText('50%', 26, 108); l.fillText('0%', 26, 207); l.fillText('no region', 26, 233);
    }

    function drawWss(cw) {
      const g = el('wss').getContext('2d');
      g.clearRect(0, 0, 820, 140);
      const H = 110, n = columns.length;
      const max = Math.max(1, ...columns.map(c => c.wss));
      g.strokeStyle = '#444'; g.strokeRect(PLOT_X - 0.5, 4.5, WIDTH + 1, H);
      g.fillStyle = '#222'; g.font = '11px sans-serif'; g.textAlign = 'right'; g.textBaseline = 'middle';
      g.fillText(bytes(max), PLOT_X - 6, 6); g.fillText('0', PLOT_X - 6, 4 + H);
      g.strokeStyle = '#06c'; g.lineWidth = 2; g.beginPath();
      columns.forEach((c, i) => { const x = PLOT_X + (i + 0.5) * cw, y = 4 + H - H * c.wss / max; i ? g.lineTo(x, y) : g.moveTo(x, y); });
      g.stroke(); g.lineWidth = 1;
      if (n) { g.textAlign = 'left'; g.fillText('now ' + bytes(columns[n - 1].wss), PLOT_X + 4, 4 + H + 14); }
    }

    function drawRegions() {
      const c = columns[columns.length - 1];
      if (!c) return;
      const rs = c.targets[target()] || [];
      el('regions').innerHTML = rs.slice(0, 300).map(([s, e, nr, age]) => '<tr><td class="num">' + hex(s) + '</td><td class="num">' + hex(e)
        + '</td><td class="num">' + bytes(e - s) + '</td><td class="num">' + (100 * nr / Math.max(1, c.max)).toFixed(0) + '%</td><td class="num">' + age + '</td></tr>').join('')
        + (rs.length > 300 ? '<tr><td colspan="5" class="small">' + (rs.length - 300) + ' more</td></tr>' : '');
      el('counts').textContent = (status ? status.samples + ' samples, ' + status.aggregations + ' aggregations, ' : '')
        + rs.length + ' regions, interval ' + (c.t1 - c.t0).toFixed(3) + ' s (' + c.max + ' samples)';
    }

    function showStatus(s) {
      status = s;
      el('title').textContent = (file ? 'record ' + file + ': ' : '') + s.name;
      document.title = 'jdamon: ' + s.name;
      el('state').className = 'state-' + s.state;
      el('state').textContent = s.state;
      el('detail').textContent = s.detail || s.stopReason || '';
      setTargets(s.targets);
      const rows = [['primitive', s.primitive]].concat(Object.entries(s.sensor));
      el('sensor').innerHTML = rows.map(([k, v]) => '<tr><th>' + esc(k) + '</th><td>' + esc(v) + '</td></tr>').join('');
    }

    el('apply').onclick = schedule;
    el('auto').onclick = () => { el('lo').value = ''; el('hi').value = ''; schedule(); };
    el('target').onchange = schedule;

    if (file) {
      fetch('api/record?file=' + encodeURIComponent(file)).then(r => r.ok ? r.json() : r.text().then(t => { throw new Error(t); }))
        .then(rec => {
          showStatus({name: rec.context, state: 'STOPPED', detail: 'recorded', primitive: rec.primitive, sensor: rec.sensor,
            targets: rec.targets, samples: '-', aggregations: rec.columns.length});
          columns.push(...rec.columns);
          schedule();
        }).catch(e => { el('detail').textContent = String(e.message); });
      return;
    }
    const es = new EventSource('events?context=' + encodeURIComponent(name));
    es.addEventListener('column', ev => {
      const c = JSON.parse(ev.data);
      c.live = live;
      if (columns.length && c.seq <= columns[columns.length - 1].seq) columns.length = 0; // a new run
      columns.push(c);
      if (columns.length > COLS) columns.splice(0, columns.length - COLS);
      schedule();
    });
    es.addEventListener('status', ev => { live = true; showStatus(JSON.parse(ev.data)); schedule(); });
    es.addEventListener('gone', () => { es.close(); el('state').textContent = 'GONE'; el('detail').textContent = 'the engine does not know this context (any more)'; });
  }

  return {index, context, heat};
})();
