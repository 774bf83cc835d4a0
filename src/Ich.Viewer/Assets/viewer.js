// ICH study viewer: hand-written, no dependencies. Reads the JSON payload written by Ich.Viewer
// (docs/viewer.md), inflates the slice planes with DecompressionStream and renders the window presets,
// the saliency overlay, the predicted-mask layer and the probability chart. Data from the payload reaches the page only through
// textContent / attributes, never innerHTML.
(() => {
  'use strict';
  const root = document.querySelector('[data-ich-viewer]');
  const data = JSON.parse(document.getElementById('ich-viewer-data').textContent);
  if (data.version !== 1) throw new Error('unsupported viewer data version ' + data.version);
  const $ = (id) => document.getElementById(id);
  const W = data.width, H = data.height, N = data.slices.length;
  const NS = 'http://www.w3.org/2000/svg';

  const state = {
    index: clampIndex(data.startSlice),
    preset: 0,
    overlayOn: true,
    opacity: 0.5,
    cls: -1,
    maskOn: false,
  };
  const huCache = new Array(N).fill(null);      // Uint8Array(2·W·H): fine plane then bone plane
  const salCache = new Map();                   // "slice:class" → Uint8Array(W·H)
  const maskCache = new Map();                  // slice → { inside: Uint8Array(W·H) of 0/1, pixels }
  const pending = new Map();
  const maskSlices = data.slices.filter((s) => s.mask).length;
  const maskUsable = data.predictedMask.available && maskSlices > 0;

  // ---------- decoding ----------
  function base64Bytes(text) {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  async function inflate(text) {
    const stream = new Blob([base64Bytes(text)]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
  // Undo the per-row delta coding (byte = left neighbour + stored difference, mod 256).
  function undelta(bytes, width) {
    for (let row = 0; row < bytes.length; row += width)
      for (let x = 1; x < width; x++) bytes[row + x] = (bytes[row + x] + bytes[row + x - 1]) & 255;
    return bytes;
  }
  // Saliency is stored as F×F box means (PlaneCodec.EncodeSaliency); bilinear upsampling back to the slice
  // grid, cell centres aligned, gives the level of every pixel, which then goes through the colour table.
  const F = data.saliencyFactor, GW = Math.ceil(W / F), GH = Math.ceil(H / F);
  function upsample(grid) {
    const out = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) {
      const sy = Math.min(GH - 1, Math.max(0, (y + 0.5) / F - 0.5));
      const y0 = Math.floor(sy), y1 = Math.min(GH - 1, y0 + 1), fy = sy - y0;
      for (let x = 0; x < W; x++) {
        const sx = Math.min(GW - 1, Math.max(0, (x + 0.5) / F - 0.5));
        const x0 = Math.floor(sx), x1 = Math.min(GW - 1, x0 + 1), fx = sx - x0;
        const top = grid[y0 * GW + x0] * (1 - fx) + grid[y0 * GW + x1] * fx;
        const bottom = grid[y1 * GW + x0] * (1 - fx) + grid[y1 * GW + x1] * fx;
        out[y * W + x] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
    return out;
  }
  // Predicted mask: the 1-bit plane of the drawn region (PlaneCodec.EncodeMask), rows of maskStride bytes, MSB first.
  const MASK = data.predictedMask, MASK_STRIDE = MASK.stride;
  function unpackMask(bits) {
    const inside = new Uint8Array(W * H);
    let pixels = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        if (bits[y * MASK_STRIDE + (x >> 3)] & (0x80 >> (x & 7))) { inside[y * W + x] = 1; pixels++; }
    return { inside, pixels };
  }
  function loadOnce(key, text, decode, set) {
    if (pending.has(key)) return pending.get(key);
    const p = inflate(text).then((b) => { const v = decode(b); set(v); pending.delete(key); return v; });
    pending.set(key, p);
    return p;
  }
  function loadHu(i) {
    if (huCache[i]) return Promise.resolve(huCache[i]);
    return loadOnce('hu:' + i, data.slices[i].hu, (b) => undelta(b, W), (v) => { huCache[i] = v; });
  }
  function loadSaliency(i, c) {
    const key = i + ':' + c;
    if (salCache.has(key)) return Promise.resolve(salCache.get(key));
    const text = data.slices[i].saliency && data.slices[i].saliency[c];
    if (!text) return Promise.resolve(null);
    return loadOnce('sal:' + key, text, (b) => upsample(undelta(b, GW)), (v) => salCache.set(key, v));
  }

  function loadMask(i) {
    if (maskCache.has(i)) return Promise.resolve(maskCache.get(i));
    const text = data.slices[i].mask;
    if (!text) return Promise.resolve(null);
    return loadOnce('mask:' + i, text, unpackMask, (v) => maskCache.set(i, v));
  }

  // ---------- window look-up tables (integer arithmetic, same rounding as PlaneCodec.WindowByte) ----------
  function windowByte(hu, center, width) {
    const lower = center - width / 2;
    if (hu <= lower) return 0;
    return Math.min(255, Math.floor(((hu - lower) * 510 + width) / (2 * width)));
  }
  const luts = data.presets.map((p) => {
    const lut = new Uint8Array(256);
    for (let v = 0; v < 256; v++) lut[v] = p.plane === 'fine' ? windowByte(v + data.fineLowHu, p.center, p.width) : v;
    return lut;
  });
  const colours = base64Bytes(data.colourTable); // 256 × RGB, the jet map of Ich.Imaging

  // ---------- canvases ----------
  const image = $('ich-image'), overlay = $('ich-overlay'), maskCanvas = $('ich-mask');
  image.width = overlay.width = maskCanvas.width = W; image.height = overlay.height = maskCanvas.height = H;
  const imageCtx = image.getContext('2d'), overlayCtx = overlay.getContext('2d'), maskCtx = maskCanvas.getContext('2d');
  const imageData = imageCtx.createImageData(W, H), overlayData = overlayCtx.createImageData(W, H), maskData = maskCtx.createImageData(W, H);
  // Magenta (viewer.css .mask-swatch): a colour the jet map of the Grad-CAM overlay never shows, so the two read apart.
  const MASK_RGB = [255, 61, 242], MASK_FILL_ALPHA = 70, MASK_EDGE_ALPHA = 255;
  let renderToken = 0;

  async function render() {
    const token = ++renderToken;
    const i = state.index, preset = state.preset, cls = state.cls;
    const planes = await loadHu(i);
    const sal = state.overlayOn && cls >= 0 ? await loadSaliency(i, cls) : null;
    const mask = state.maskOn ? await loadMask(i) : null;
    if (token !== renderToken) return; // a newer request superseded this one
    const lut = luts[preset];
    const offset = data.presets[preset].plane === 'fine' ? 0 : W * H;
    const px = imageData.data;
    for (let k = 0, n = W * H; k < n; k++) {
      const g = lut[planes[offset + k]];
      px[4 * k] = g; px[4 * k + 1] = g; px[4 * k + 2] = g; px[4 * k + 3] = 255;
    }
    imageCtx.putImageData(imageData, 0, 0);
    const ov = overlayData.data;
    if (sal) {
      for (let k = 0, n = W * H; k < n; k++) {
        const q = sal[k];
        ov[4 * k] = colours[3 * q]; ov[4 * k + 1] = colours[3 * q + 1]; ov[4 * k + 2] = colours[3 * q + 2];
        ov[4 * k + 3] = q; // transparency follows the absolute value: 0 invisible, 1 at the chosen opacity
      }
    } else ov.fill(0);
    overlayCtx.putImageData(overlayData, 0, 0);
    overlay.style.opacity = String(state.opacity);
    drawMask(mask);
    updateMaskLegend();
    $('ich-loading').hidden = true;
    root.dataset.renderedSlice = String(i);
    root.dataset.renderedPreset = data.presets[preset].key;
    root.dataset.renderedOverlay = sal ? data.classes[cls].name : 'none';
    root.dataset.renderedMask = !maskUsable ? 'unavailable' : !state.maskOn ? 'off' : mask ? 'drawn' : 'none';
    if (root.dataset.ready !== '1') {
      root.dataset.firstPaintMs = String(Math.round(performance.now()));
      root.dataset.ready = '1';
      preloadRest();
    }
  }
  // The region as a translucent fill with an opaque one-pixel outline (inside pixels with a 4-neighbour outside or
  // on the image border), so the edge stays visible over the Grad-CAM colours and the anatomy stays readable inside.
  function drawMask(mask) {
    const px = maskData.data;
    px.fill(0);
    if (mask) {
      const m = mask.inside;
      for (let y = 0, k = 0; y < H; y++)
        for (let x = 0; x < W; x++, k++) {
          if (!m[k]) continue;
          const edge = x === 0 || y === 0 || x === W - 1 || y === H - 1 || !m[k - 1] || !m[k + 1] || !m[k - W] || !m[k + W];
          px[4 * k] = MASK_RGB[0]; px[4 * k + 1] = MASK_RGB[1]; px[4 * k + 2] = MASK_RGB[2];
          px[4 * k + 3] = edge ? MASK_EDGE_ALPHA : MASK_FILL_ALPHA;
        }
    }
    maskCtx.putImageData(maskData, 0, 0);
  }
  // After the first paint, inflate the other slices nearest first so scrolling never waits long.
  async function preloadRest() {
    const order = [...Array(N).keys()].sort((a, b) => Math.abs(a - state.index) - Math.abs(b - state.index));
    for (const i of order) await loadHu(i);
    root.dataset.allLoaded = '1';
  }

  // ---------- state changes ----------
  function clampIndex(i) { return Math.max(0, Math.min(N - 1, Math.round(Number(i) || 0))); }
  function setSlice(i) {
    const next = clampIndex(i);
    if (next === state.index && root.dataset.ready === '1') return;
    state.index = next;
    if (!huCache[next]) $('ich-loading').hidden = false;
    update();
  }
  function setPreset(p) { state.preset = p; update(); }
  function setOverlay(on) { state.overlayOn = on && state.cls >= 0; update(); }
  function setClass(c) { state.cls = c; update(); }
  function setMask(on) { state.maskOn = on && maskUsable; update(); }

  function update() {
    root.dataset.sliceIndex = String(state.index);
    root.dataset.preset = data.presets[state.preset].key;
    root.dataset.overlay = state.overlayOn ? 'on' : 'off';
    root.dataset.mask = !maskUsable ? 'unavailable' : state.maskOn ? 'on' : 'off';
    $('ich-slider').value = String(state.index);
    const s = data.slices[state.index];
    $('ich-sliceline').textContent =
      `Slice ${state.index + 1} of ${N} (index ${state.index}) · z ${s.z.toFixed(1)} mm` +
      (data.pixelSpacingMm ? ` · pixel ${data.pixelSpacingMm.toFixed(2)} mm` : '') + ` · ${s.id}`;
    const rows = $('ich-probs').rows;
    data.classes.forEach((c, k) => {
      const cell = rows[k].cells[1];
      const over = c.threshold !== null && s.p[k] >= c.threshold;
      cell.textContent = s.p[k].toFixed(3) + (over ? ' ≥ threshold' : '');
      cell.className = over ? 'over' : '';
    });
    document.querySelectorAll('#ich-presets button').forEach((b, k) => b.setAttribute('aria-pressed', String(k === state.preset)));
    $('ich-overlay-toggle').setAttribute('aria-pressed', String(state.overlayOn));
    $('ich-mask-toggle').setAttribute('aria-pressed', String(state.maskOn));
    $('ich-class').value = String(state.cls);
    $('ich-opacity').value = String(Math.round(state.opacity * 100));
    updateLegend();
    updateMaskLegend();
    markChart();
    render();
  }

  // ---------- static parts ----------
  function buildControls() {
    const m = data.markers;
    $('ich-m-left').textContent = m.left; $('ich-m-right').textContent = m.right;
    $('ich-m-top').textContent = m.top; $('ich-m-bottom').textContent = m.bottom;
    const slider = $('ich-slider');
    slider.max = String(N - 1);
    slider.addEventListener('input', () => setSlice(slider.value));
    const presets = $('ich-presets');
    data.presets.forEach((p, k) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `${k + 1} ${p.label} ${p.center}/${p.width}`;
      b.addEventListener('click', () => setPreset(k));
      presets.appendChild(b);
    });
    const select = $('ich-class');
    const withMaps = data.classes.map((_, c) => data.slices.some((s) => s.saliency && s.saliency[c]));
    data.classes.forEach((c, k) => {
      if (!withMaps[k]) return;
      const o = document.createElement('option');
      o.value = String(k); o.textContent = `${c.name} (${c.abbreviation})`;
      select.appendChild(o);
    });
    if (!withMaps.some(Boolean)) {
      const o = document.createElement('option'); o.value = '-1'; o.textContent = 'no saliency maps';
      select.appendChild(o);
      select.disabled = true; $('ich-overlay-toggle').disabled = true; $('ich-opacity').disabled = true;
      state.overlayOn = false;
    } else {
      // Default class: the first flagged class that has maps, else the first class with maps.
      const flagged = data.classes.findIndex((c, k) => c.flagged && withMaps[k]);
      state.cls = flagged >= 0 ? flagged : withMaps.indexOf(true);
    }
    select.addEventListener('change', () => setClass(Number(select.value)));
    $('ich-overlay-toggle').addEventListener('click', () => setOverlay(!state.overlayOn));
    $('ich-opacity').addEventListener('input', () => { state.opacity = Number($('ich-opacity').value) / 100; overlay.style.opacity = String(state.opacity); });
    state.withMaps = withMaps;
    // The mask layer: on by default when the model has a segmentation head and some slice has a mask; otherwise the
    // button stays disabled and the legend says why (older model folders have no head: not an error).
    const maskToggle = $('ich-mask-toggle');
    maskToggle.disabled = !maskUsable;
    state.maskOn = maskUsable;
    maskToggle.addEventListener('click', () => setMask(!state.maskOn));

    const body = $('ich-probs');
    data.classes.forEach((c) => {
      const tr = body.insertRow();
      const name = tr.insertCell();
      const sw = document.createElement('span'); sw.className = 'swatch'; sw.style.background = c.colour;
      name.append(sw, `${c.name} (${c.abbreviation})`);
      tr.insertCell();
      tr.insertCell().textContent = c.threshold === null ? 'no flag' : c.threshold.toFixed(3);
    });
    const legend = $('ich-chart-legend');
    data.classes.forEach((c) => {
      const li = document.createElement('li');
      const sw = document.createElement('span'); sw.className = 'swatch'; sw.style.background = c.colour;
      li.append(sw, c.abbreviation + (c.flagged ? ' (flagged)' : ''));
      legend.appendChild(li);
    });
    const note = document.createElement('li');
    note.textContent = 'solid: probability · dashed: flag threshold · red: current slice';
    legend.appendChild(note);
    const bar = $('ich-legend-bar').getContext('2d');
    for (let v = 0; v < 256; v++) {
      bar.fillStyle = `rgb(${colours[3 * v]},${colours[3 * v + 1]},${colours[3 * v + 2]})`;
      bar.fillRect(v, 0, 1, 12);
    }
  }
  function updateLegend() {
    const text = $('ich-legend-text');
    if (state.cls < 0) { text.textContent = 'This report has no saliency maps.'; return; }
    const c = data.classes[state.cls];
    text.textContent = `Grad-CAM saliency of ${c.name} on one absolute scale 0–1, the same for every slice ` +
      `(not rescaled per slice); transparency follows the value. Overlay ${state.overlayOn ? 'on' : 'off'}.` +
      (data.slices[state.index].saliency && data.slices[state.index].saliency[state.cls] ? '' : ' No map for this slice.');
  }

  function updateMaskLegend() {
    const text = $('ich-mask-text');
    const what = MASK.label.charAt(0).toUpperCase() + MASK.label.slice(1);
    if (!MASK.available) {
      text.textContent = `${what}: not available. This model has no segmentation head (a model folder without decoders), ` +
        'so only the Grad-CAM overlay explains the result.';
      return;
    }
    if (maskSlices === 0) {
      text.textContent = `${what}: no slice of this scan has one. The head runs only on the slices explained for flagged classes.`;
      return;
    }
    const head = `${what}, blood of any subtype: magenta outline and fill where its probability is above ${MASK.threshold} ` +
      `(the report's threshold); on ${maskSlices} of ${N} slices.`;
    if (!state.maskOn) { text.textContent = `${head} Layer off (M).`; return; }
    if (!data.slices[state.index].mask) {
      text.textContent = `${head} No predicted mask on this slice: it was not explained for a flagged class.`;
      return;
    }
    const mask = maskCache.get(state.index);
    if (!mask) { text.textContent = head; return; } // render() calls again once the mask is inflated
    const area = data.pixelSpacingMm ? ` ≈ ${(mask.pixels * data.pixelSpacingMm * data.pixelSpacingMm / 100).toFixed(1)} cm²` : '';
    text.textContent = mask.pixels === 0
      ? `${head} This slice: no pixel above ${MASK.threshold}.`
      : `${head} This slice: ${mask.pixels} pixels${area}.`;
  }

  // ---------- chart ----------
  const chart = $('ich-chart');
  const pad = { l: 34, r: 8, t: 8, b: 24 };
  let chartWidth = 0, cursor = null;
  function xOf(i, w) { return pad.l + (N === 1 ? 0 : (i / (N - 1)) * (w - pad.l - pad.r)); }
  function yOf(p, h) { return pad.t + (1 - p) * (h - pad.t - pad.b); }
  function el(name, attrs) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  }
  function drawChart() {
    const w = Math.max(200, chart.clientWidth), h = Math.max(120, chart.clientHeight);
    chartWidth = w;
    chart.setAttribute('viewBox', `0 0 ${w} ${h}`);
    chart.replaceChildren();
    for (const p of [0, 0.5, 1]) {
      chart.appendChild(el('line', { x1: pad.l, x2: w - pad.r, y1: yOf(p, h), y2: yOf(p, h), stroke: '#3a444f' }));
      const t = el('text', { x: 4, y: yOf(p, h) + 4 }); t.textContent = p.toFixed(1); chart.appendChild(t);
    }
    const t0 = el('text', { x: pad.l, y: h - 6 }); t0.textContent = 'slice 0 (lowest)'; chart.appendChild(t0);
    const t1 = el('text', { x: w - pad.r, y: h - 6, 'text-anchor': 'end' }); t1.textContent = String(N - 1); chart.appendChild(t1);
    // Subtypes first, "any" last so its thicker line stays on top where curves coincide.
    const order = data.classes.map((_, k) => k).slice(1).concat([0]);
    order.forEach((k) => {
      const c = data.classes[k];
      if (c.threshold !== null)
        chart.appendChild(el('line', { x1: pad.l, x2: w - pad.r, y1: yOf(c.threshold, h), y2: yOf(c.threshold, h),
          stroke: c.colour, 'stroke-dasharray': '5 4', 'stroke-width': 1, class: 'threshold', 'data-class': c.name }));
      const points = data.slices.map((s, i) => `${xOf(i, w).toFixed(1)},${yOf(s.p[k], h).toFixed(1)}`).join(' ');
      chart.appendChild(el('polyline', { points, fill: 'none', stroke: c.colour, 'stroke-width': k === 0 ? 2 : 1.5, class: 'curve', 'data-class': c.name }));
    });
    cursor = el('line', { y1: pad.t, y2: h - pad.b, stroke: '#ff5c5c', 'stroke-width': 2, id: 'ich-chart-cursor' });
    chart.appendChild(cursor);
    markChart();
  }
  function markChart() {
    if (!cursor) return;
    const x = xOf(state.index, chartWidth);
    cursor.setAttribute('x1', x); cursor.setAttribute('x2', x);
    cursor.dataset.slice = String(state.index);
  }
  chart.addEventListener('click', (e) => {
    const box = chart.getBoundingClientRect();
    const x = (e.clientX - box.left) * (chartWidth / box.width);
    setSlice(((x - pad.l) / (chartWidth - pad.l - pad.r)) * (N - 1));
  });

  // ---------- input ----------
  const stage = $('ich-stage');
  let wheelSum = 0;
  stage.addEventListener('wheel', (e) => {
    e.preventDefault();
    // One notch (≈100 px, or 1–3 lines) = one slice; trackpads add up small deltas. Wheel down = lower.
    wheelSum += e.deltaMode === 0 ? e.deltaY : e.deltaY * 40;
    if (Math.abs(wheelSum) >= 40) { setSlice(state.index - Math.sign(wheelSum)); wheelSum = 0; }
  }, { passive: false });
  let touchY = null;
  stage.addEventListener('touchstart', (e) => { touchY = e.touches[0].clientY; }, { passive: true });
  stage.addEventListener('touchmove', (e) => {
    if (touchY === null) return;
    const dy = e.touches[0].clientY - touchY;
    if (Math.abs(dy) >= 16) { setSlice(state.index + (dy < 0 ? 1 : -1)); touchY = e.touches[0].clientY; }
    e.preventDefault();
  }, { passive: false });
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const inRange = t instanceof HTMLInputElement && t.type === 'range';
    const inSelect = t instanceof HTMLSelectElement;
    let handled = true;
    switch (e.key) {
      case 'ArrowUp': case 'ArrowRight': if (inRange || inSelect) { handled = false; break; } setSlice(state.index + 1); break;
      case 'ArrowDown': case 'ArrowLeft': if (inRange || inSelect) { handled = false; break; } setSlice(state.index - 1); break;
      case 'PageUp': setSlice(state.index + 5); break;
      case 'PageDown': setSlice(state.index - 5); break;
      case 'Home': if (inRange) { handled = false; break; } setSlice(0); break;
      case 'End': if (inRange) { handled = false; break; } setSlice(N - 1); break;
      case '1': case '2': case '3': setPreset(Number(e.key) - 1); break;
      case 'o': case 'O': if (state.cls >= 0) setOverlay(!state.overlayOn); break;
      case 'c': case 'C': nextClass(); break;
      case 'm': case 'M': if (maskUsable) setMask(!state.maskOn); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });
  function nextClass() {
    if (state.cls < 0) return;
    for (let step = 1; step <= data.classes.length; step++) {
      const c = (state.cls + step) % data.classes.length;
      if (state.withMaps[c]) { setClass(c); return; }
    }
  }

  // ---------- URL fragment: #slice=N&class=NAME ----------
  function applyHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (params.has('class')) {
      const c = data.classes.findIndex((x) => x.name === params.get('class').toLowerCase());
      if (c >= 0 && state.withMaps[c]) { state.cls = c; state.overlayOn = true; }
    }
    if (params.has('slice') && /^\d+$/.test(params.get('slice'))) state.index = clampIndex(params.get('slice'));
  }
  window.addEventListener('hashchange', () => { applyHash(); update(); });

  buildControls();
  applyHash();
  drawChart();
  window.addEventListener('resize', () => { if (chart.clientWidth !== chartWidth) drawChart(); });
  update();
})();
