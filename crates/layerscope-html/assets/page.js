// The layerscope HTML report's script: sortable tables, the details of a clicked layer, a log
// scale for the chart, and the treemap. Everything the page shows from the image is set with
// textContent or drawn on the canvas, never parsed as markup. It runs once, at the end of the
// body, and records in <body data-*> that it drew, where, and any error it met.
(function () {
  'use strict';
  var started = performance.now();
  var body = document.body;
  var errors = [];

  function record(message) {
    errors.push(String(message));
    body.dataset.errors = String(errors.length);
    var box = document.getElementById('errors');
    if (!box) {
      box = document.createElement('pre');
      box.id = 'errors';
      box.className = 'errors';
      body.insertBefore(box, body.firstChild);
    }
    box.textContent = 'The page met a problem: ' + errors.join('\n');
  }
  window.addEventListener('error', function (e) { record(e.message || 'error'); });
  window.addEventListener('securitypolicyviolation', function (e) {
    record('blocked by the page policy: ' + e.violatedDirective + ' ' + e.blockedURI);
  });
  body.dataset.errors = '0';
  document.documentElement.classList.add('js');

  // Sizes as the rest of the page writes them (go-humanize's Bytes, as dive prints them).
  var UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  function bytes(n) {
    if (n < 10) return n + ' B';
    var e = 0, p = 1;
    while (e + 1 < UNITS.length && n >= p * 1000) { p *= 1000; e++; }
    var r = Math.floor(n / p * 10 + 0.5) / 10;
    if (r < 10) return r.toFixed(1) + ' ' + UNITS[e];
    var v = Math.round(r);
    if (Math.abs(r - Math.trunc(r)) === 0.5 && v % 2) v -= 1; // half to even, as Rust and Go
    return v + ' ' + UNITS[e];
  }
  function count(n) {
    return Number(n).toLocaleString('en-US');
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pair(dl, term, value) {
    dl.appendChild(el('dt', null, term));
    dl.appendChild(el('dd', null, value));
  }

  function sortable() {
    var heads = document.querySelectorAll('table.sortable th[data-sort]');
    Array.prototype.forEach.call(heads, function (th) {
      th.tabIndex = 0;
      function sort() {
        var table = th.closest('table');
        var column = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.dataset.sort === 'num';
        var was = th.getAttribute('aria-sort');
        var order = was ? (was === 'ascending' ? 'descending' : 'ascending')
          : (numeric ? 'descending' : 'ascending');
        Array.prototype.forEach.call(th.parentNode.children, function (h) {
          h.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', order);
        var tbody = table.tBodies[0];
        var rows = Array.prototype.map.call(tbody.rows, function (row, i) {
          var cell = row.cells[column];
          var key = !cell ? '' : numeric ? Number(cell.dataset.v || cell.textContent) : cell.textContent;
          return { row: row, key: key, i: i };
        });
        var sign = order === 'ascending' ? 1 : -1;
        rows.sort(function (a, b) {
          var c = numeric ? a.key - b.key : a.key.localeCompare(b.key);
          return c !== 0 ? sign * c : a.i - b.i;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (r) { fragment.appendChild(r.row); });
        tbody.appendChild(fragment);
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
  }

  var data = JSON.parse(document.getElementById('data').textContent);
  var layers = data.layers;
  var selected = null;
  var treemap = null;

  function colour(layer) {
    return layers[layer] ? layers[layer].color : '#9aa3ad';
  }
  function layerText(index) {
    var layer = layers[index];
    return layer ? 'layer ' + index + ' (' + layer.label + ')' : 'layer ' + index;
  }

  // How a version was hidden, in words.
  function how(word) {
    return word === 'opaqueDir' ? 'hidden by an opaque directory' : word;
  }

  // A short table of [path, bytes, note] rows under a heading, when there are rows.
  function files(parent, title, rows) {
    if (!rows.length) return;
    parent.appendChild(el('h3', null, title));
    var table = el('table', 'mini');
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', 'path', r[0]));
      tr.appendChild(el('td', 'num', bytes(r[1])));
      tr.appendChild(el('td', null, r[2]));
      table.appendChild(tr);
    });
    parent.appendChild(table);
  }

  function chart() {
    var table = document.getElementById('chart');
    var detail = document.getElementById('layer-detail');
    var rows = table.querySelectorAll('tr.layer');
    function show(index) {
      selected = selected === index ? null : index;
      Array.prototype.forEach.call(rows, function (row) {
        row.classList.toggle('selected', Number(row.dataset.layer) === selected);
      });
      detail.textContent = '';
      detail.hidden = selected === null;
      if (selected !== null) {
        var layer = layers[selected];
        var head = el('div');
        var swatch = el('i', 'sw');
        swatch.style.background = layer.color;
        head.appendChild(swatch);
        head.appendChild(el('b', null, 'Layer ' + layer.index));
        head.appendChild(document.createTextNode(' · ' + bytes(layer.bytes) + ' · ' + layer.digest));
        detail.appendChild(head);
        var dl = el('dl');
        pair(dl, 'added', bytes(layer.added) + ' (' + count(layer.added) + ' bytes)');
        pair(dl, 'unchanged', bytes(layer.unchanged) + ' (' + count(layer.unchanged) + ' bytes)');
        pair(dl, 'hidden later', bytes(layer.hidden) + ' (' + count(layer.hidden) + ' bytes)');
        pair(dl, 'hid', count(layer.hidFiles) + ' versions that this or earlier layers ship, ' + bytes(layer.hidBytes));
        detail.appendChild(dl);
        detail.appendChild(el('pre', null, layer.command || '(no command recorded)'));
        files(detail, 'Its largest files', layer.largest.map(function (f) {
          var note = f[2] === 'hidden' ? 'hidden later: ' + how(f[4]) + ' by ' + layerText(f[3])
            : f[2] === 'unchanged' ? 'unchanged: the same file as below' : 'added, still visible';
          return [f[0], f[1], note];
        }));
        files(detail, 'The largest files it hid', layer.hid.map(function (f) {
          return [f[0], f[1], how(f[3]) + '; ships in ' + layerText(f[2])];
        }));
      }
      if (treemap) treemap.draw();
    }
    Array.prototype.forEach.call(rows, function (row) {
      var index = Number(row.dataset.layer);
      row.addEventListener('click', function () { show(index); });
      row.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(index); }
      });
    });
    // A log scale, for images where one layer dwarfs the rest.
    var label = el('label');
    var box = el('input');
    box.type = 'checkbox';
    label.appendChild(box);
    label.appendChild(document.createTextNode(' log scale'));
    document.getElementById('chart-legend').appendChild(label);
    var widest = 1;
    layers.forEach(function (l) { widest = Math.max(widest, l.bytes); });
    box.addEventListener('change', function () {
      Array.prototype.forEach.call(rows, function (row) {
        var layer = layers[Number(row.dataset.layer)];
        var scale = box.checked
          ? Math.log(1 + layer.bytes) / Math.log(1 + widest) * 100 / Math.max(1, layer.bytes)
          : 100 / widest;
        Array.prototype.forEach.call(row.querySelectorAll('.seg'), function (seg) {
          seg.style.width = (Number(seg.dataset.bytes) * scale).toFixed(3) + '%';
        });
      });
    });
    return { bars: table.tBodies[0], show: show };
  }

  // Squarified treemap (Bruls, Huizing, van Wijk): rows of boxes laid along the shorter side,
  // each row grown while that keeps its boxes closer to square.
  function squarify(items, x, y, w, h, out) {
    var total = 0;
    items.forEach(function (it) { total += it.v; });
    if (total <= 0 || w <= 0 || h <= 0) return;
    var scale = w * h / total;
    var i = 0;
    while (i < items.length) {
      var side = Math.min(w, h);
      var sum = 0, min = Infinity, max = 0, worst = Infinity, j = i;
      while (j < items.length) {
        var a = items[j].v * scale;
        var s = sum + a, lo = Math.min(min, a), hi = Math.max(max, a);
        var ratio = Math.max(side * side * hi / (s * s), s * s / (side * side * lo));
        if (j > i && ratio > worst) break;
        sum = s; min = lo; max = hi; worst = ratio; j++;
      }
      var thick = sum / side, at = 0;
      for (var k = i; k < j; k++) {
        var len = items[k].v * scale / thick;
        if (w >= h) out.push({ i: items[k].i, x: x, y: y + at, w: thick, h: len });
        else out.push({ i: items[k].i, x: x + at, y: y, w: len, h: thick });
        at += len;
      }
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
      i = j;
    }
  }

  function Treemap() {
    var canvas = document.getElementById('tm');
    var tip = document.getElementById('tm-tip');
    var info = document.getElementById('tm-info');
    var crumbs = document.getElementById('crumbs');
    var here = document.getElementById('tm-here');
    var list = document.getElementById('tm-list');
    var ctx = canvas.getContext('2d');
    var models = {};
    ['files', 'hidden'].forEach(function (view) {
      var rows = data[view].rows;
      var kids = rows.map(function () { return []; });
      for (var i = 1; i < rows.length; i++) kids[rows[i][0]].push(i);
      var secrets = {};
      data[view].secrets.forEach(function (s) { secrets[s[0]] = s[1]; });
      models[view] = { rows: rows, kids: kids, zoom: 0, secrets: secrets };
    });
    var view = 'files';
    var boxes = [];
    var hatch = (function () {
      var c = document.createElement('canvas');
      c.width = c.height = 6;
      var g = c.getContext('2d');
      g.strokeStyle = 'rgba(255,255,255,0.55)';
      g.lineWidth = 1.2;
      g.beginPath(); g.moveTo(0, 6); g.lineTo(6, 0); g.stroke();
      return ctx.createPattern(c, 'repeat');
    })();

    function path(m, i) {
      var parts = [];
      while (i > 0) { parts.push(m.rows[i][2]); i = m.rows[i][0]; }
      return '/' + parts.reverse().join('/');
    }
    function name(r) {
      return r[1] === 's' ? count(r[5]) + ' small files' : r[2];
    }
    function fit(text, width) {
      if (ctx.measureText(text).width <= width) return text;
      var lo = 0, hi = text.length;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(text.slice(0, mid) + '…').width <= width) lo = mid; else hi = mid - 1;
      }
      return lo > 0 ? text.slice(0, lo) + '…' : '';
    }
    function label(text, x, y, w, bold) {
      ctx.font = (bold ? '600 ' : '') + '12px system-ui, "Liberation Sans", sans-serif';
      var t = fit(text, w - 8);
      if (t) ctx.fillText(t, x + 4, y + 12);
    }
    function node(m, i, x, y, w, h, depth) {
      if (w < 0.5 || h < 0.5) return;
      var r = m.rows[i];
      boxes.push({ i: i, x: x, y: y, w: w, h: h });
      var kids = m.kids[i];
      if (r[1] === 'd' && kids.length && w >= 8 && h >= 8) {
        var head = w > 60 && h > 40 ? 17 : 0;
        var pad = w > 24 && h > 24 ? 2 : 1;
        ctx.fillStyle = depth % 2 ? '#cdd4dc' : '#bcc5cf';
        ctx.fillRect(x, y, w, h);
        if (head) {
          ctx.fillStyle = '#1d232b';
          label((i === 0 ? '/' : r[2]) + '  ' + bytes(r[3]), x, y + 1, w, true);
        }
        var inner = [];
        squarify(kids.map(function (k) { return { i: k, v: m.rows[k][3] }; }),
          x + pad, y + head + pad, w - 2 * pad, h - head - 2 * pad, inner);
        inner.forEach(function (b) { node(m, b.i, b.x, b.y, b.w, b.h, depth + 1); });
        return;
      }
      var faded = selected !== null && r[4] !== selected;
      ctx.globalAlpha = faded ? 0.22 : 1;
      ctx.fillStyle = colour(r[4]);
      ctx.fillRect(x, y, w, h);
      if (r[1] !== 'f') { ctx.fillStyle = hatch; ctx.fillRect(x, y, w, h); }
      ctx.globalAlpha = 1;
      var secret = m.secrets[i];
      if (secret !== undefined && w > 4 && h > 4) {
        // A file that holds a secret: a red frame, seen at any size.
        ctx.strokeStyle = '#c93a2e';
        ctx.lineWidth = 3;
        ctx.strokeRect(x + 1.5, y + 1.5, w - 3, h - 3);
      } else if (w > 2 && h > 2) {
        ctx.strokeStyle = 'rgba(255,255,255,0.8)';
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
      }
      if (w > 40 && h > 16) {
        ctx.fillStyle = faded ? '#8a939d' : '#1d232b';
        label(name(r), x, y + 1, w, false);
        if (h > 32) label(bytes(r[3]) + (secret !== undefined ? ' · secret' : ''), x, y + 16, w, false);
      }
    }
    function draw() {
      var m = models[view];
      var width = canvas.clientWidth, height = canvas.clientHeight;
      var ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      boxes = [];
      if (!m.rows.length || !m.rows[m.zoom][3]) {
        ctx.fillStyle = '#5c6773';
        ctx.font = '15px system-ui, sans-serif';
        ctx.fillText(view === 'hidden' ? 'Nothing ships hidden: every version the layers hold is visible.'
          : 'The final filesystem holds no bytes.', 20, 34);
      } else {
        node(m, m.zoom, 0, 0, width, height, 0);
      }
      side(m);
      crumbs.textContent = '';
      var chain = [];
      for (var i = m.zoom; i >= 0; i = i > 0 ? m.rows[i][0] : -1) chain.unshift(i);
      chain.forEach(function (c, k) {
        if (k) crumbs.appendChild(el('span', 'sep', '›'));
        var b = el('button', null, c === 0 ? '/ (' + bytes(m.rows.length ? m.rows[0][3] : 0) + ')' : m.rows[c][2]);
        b.type = 'button';
        b.addEventListener('click', function () { m.zoom = c; draw(); });
        crumbs.appendChild(b);
      });
    }
    // The directory on screen as a list, largest first, as ncdu shows it: every box is
    // reachable here, even one too small to see or click on the canvas.
    function side(m) {
      var LIMIT = 300;
      here.textContent = '';
      list.textContent = '';
      if (!m.rows.length) return;
      var dir = m.rows[m.zoom];
      here.appendChild(el('span', null, path(m, m.zoom)));
      here.appendChild(el('small', null, bytes(dir[3]) + ' in ' + count(dir[5]) + ' files'));
      var kids = m.kids[m.zoom];
      kids.slice(0, LIMIT).forEach(function (k) {
        var r = m.rows[k];
        var li = el('li', r[1] === 'd' ? 'dir' : null);
        var swatch = el('i', 'sw');
        swatch.style.background = colour(r[4]);
        li.appendChild(swatch);
        var nm = el('span', 'nm', r[1] === 'd' ? r[2] + '/' : name(r));
        if (m.secrets[k] !== undefined) nm.appendChild(el('span', 'sec', 'secret'));
        li.appendChild(nm);
        li.appendChild(el('span', 'sz', bytes(r[3])));
        var pc = el('span', 'pc');
        var fill = el('i');
        fill.style.width = (dir[3] ? r[3] / dir[3] * 100 : 0).toFixed(2) + '%';
        pc.appendChild(fill);
        li.appendChild(pc);
        li.title = describe(k).title;
        if (r[1] === 'd') {
          li.tabIndex = 0;
          li.addEventListener('click', function () { m.zoom = k; draw(); });
          li.addEventListener('keydown', function (e) {
            if (e.key === 'Enter') { m.zoom = k; draw(); }
          });
        }
        list.appendChild(li);
      });
      if (kids.length > LIMIT) {
        var more = el('li');
        more.appendChild(el('span', 'more', count(kids.length - LIMIT) + ' smaller entries are on the map only'));
        list.appendChild(more);
      }
    }
    function hit(event) {
      var rect = canvas.getBoundingClientRect();
      var x = event.clientX - rect.left, y = event.clientY - rect.top;
      for (var k = boxes.length - 1; k >= 0; k--) {
        var b = boxes[k];
        if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) return { box: b, x: x, y: y };
      }
      return null;
    }
    function describe(i) {
      var m = models[view], r = m.rows[i];
      var lines = [];
      if (r[1] === 'd') {
        lines.push(count(r[5]) + ' files, ' + bytes(r[3]) + ' (' + count(r[3]) + ' bytes)');
        lines.push('most of it from ' + layerText(r[4]));
      } else if (r[1] === 's') {
        lines.push(count(r[5]) + ' files, each under ' + bytes(data[view].threshold) + ', ' + bytes(r[3]) + ' in all');
        lines.push('most of it from ' + layerText(r[4]));
      } else {
        lines.push(bytes(r[3]) + ' (' + count(r[3]) + ' bytes)');
        if (view === 'hidden') {
          lines.push('ships in ' + layerText(r[5]));
          lines.push((r[6] === 'opaqueDir' ? 'hidden by an opaque directory in ' : r[6] + ' by ') + layerText(r[4]));
        } else {
          lines.push('added by ' + layerText(r[4]));
        }
        if (m.secrets[i] !== undefined) {
          lines.push('holds a secret (' + m.secrets[i] + '): see Secrets below, value masked');
        }
      }
      return { title: r[1] === 's' ? path(m, r[0]) + '/ (small files)' : path(m, i), lines: lines };
    }
    function showInfo(target, d) {
      target.textContent = '';
      target.appendChild(el('b', null, d.title));
      d.lines.forEach(function (line) { target.appendChild(el('div', null, line)); });
    }
    canvas.addEventListener('mousemove', function (event) {
      var h = hit(event);
      if (!h) { tip.hidden = true; return; }
      var d = describe(h.box.i);
      showInfo(tip, d);
      showInfo(info, d);
      tip.hidden = false;
      var left = Math.min(h.x + 14, canvas.clientWidth - tip.offsetWidth - 4);
      var top = h.y + 18 + tip.offsetHeight > canvas.clientHeight ? h.y - tip.offsetHeight - 8 : h.y + 18;
      tip.style.left = Math.max(0, left) + 'px';
      tip.style.top = Math.max(0, top) + 'px';
    });
    canvas.addEventListener('mouseleave', function () { tip.hidden = true; });
    canvas.addEventListener('click', function (event) {
      var h = hit(event);
      if (!h) return;
      var m = models[view], i = h.box.i;
      if (m.rows[i][1] !== 'd') i = m.rows[i][0];
      if (i >= 0 && i !== m.zoom) { m.zoom = i; tip.hidden = true; draw(); }
    });
    canvas.addEventListener('keydown', function (event) {
      var m = models[view];
      if ((event.key === 'Escape' || event.key === 'Backspace') && m.zoom > 0) {
        m.zoom = m.rows[m.zoom][0];
        draw();
      }
    });
    canvas.tabIndex = 0;
    var buttons = document.querySelectorAll('.toggle button');
    function choose(next) {
      view = next;
      Array.prototype.forEach.call(buttons, function (b) {
        b.setAttribute('aria-pressed', String(b.dataset.view === view));
      });
      Array.prototype.forEach.call(document.querySelectorAll('.tm-note'), function (n) {
        n.classList.toggle('active', n.dataset.view === view);
      });
      draw();
    }
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener('click', function () { choose(b.dataset.view); });
    });
    var pending = false;
    window.addEventListener('resize', function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; draw(); });
    });
    choose('files');
    // Zooms into the directory at `target` (`/usr/lib`), as far down as it exists.
    function zoomTo(target) {
      var m = models[view], at = 0;
      target.split('/').filter(Boolean).forEach(function (part) {
        var next = m.kids[at].filter(function (k) {
          return m.rows[k][1] === 'd' && m.rows[k][2] === part;
        })[0];
        if (next !== undefined) at = next;
      });
      m.zoom = at;
      draw();
    }
    return {
      draw: draw, choose: choose, zoomTo: zoomTo, canvas: canvas,
      cells: function () { return boxes.length; }
    };
  }

  function where(e) {
    var r = e.getBoundingClientRect();
    return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]
      .map(function (v) { return Math.round(v); }).join(',');
  }

  try {
    sortable();
    var layerChart = chart();
    treemap = Treemap();
    // Links into the page: #layer-N opens that layer's details; #treemap-hidden shows the map
    // of what ships hidden, and =/some/dir after either map's name zooms into a directory.
    var hash = window.location.hash;
    var link = /^#layer-(\d+)$/.exec(hash);
    if (link && layers[Number(link[1])]) layerChart.show(Number(link[1]));
    var map = /^#treemap(-hidden)?(?:=(.*))?$/.exec(hash);
    if (map) {
      if (map[1]) treemap.choose('hidden');
      var dir = null;
      try { dir = decodeURIComponent(map[2] || ''); } catch (e) { dir = null; }
      if (dir) treemap.zoomTo(dir);
    }
    body.dataset.chart = where(layerChart.bars);
    body.dataset.treemap = where(treemap.canvas);
    body.dataset.cells = String(treemap.cells());
    // Since the page began loading, and how much of it this script took.
    body.dataset.drawnMs = String(Math.round(performance.now()));
    body.dataset.scriptMs = String(Math.round(performance.now() - started));
  } catch (e) {
    record(e && e.stack ? e.stack : e);
  }
})();
