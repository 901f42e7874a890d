// The 3D panel: fetches decoded Gaussian frames from the server, renders them with the splat renderer, and
// offers orbit controls (mouse drag, wheel, arrow keys, +/-), play/pause and a frame scrubber. With no
// decodable stream it says so plainly; it never draws made-up splats.
import { getBinary, url } from './api.js';
import { el } from './dom.js';
import { SplatRenderer, bounds } from './splat.js';

const MAGIC = 0x31465350; // "PSF1" little-endian

/** Parses the frames endpoint's body: PSF1, total frames, n, then per frame index, count, pts, SoA floats. */
export function parseFrames(buf) {
  const dv = new DataView(buf);
  if (buf.byteLength < 12 || dv.getUint32(0, true) !== MAGIC) throw new Error('the server sent something that is not a Gaussian frame batch');
  const total = dv.getInt32(4, true);
  const n = dv.getInt32(8, true);
  let off = 12;
  const frames = [];
  const floats = (len) => {
    const a = new Float32Array(buf.slice(off, off + len * 4));
    off += len * 4;
    return a;
  };
  for (let k = 0; k < n; k++) {
    const index = dv.getInt32(off, true);
    const count = dv.getInt32(off + 4, true);
    const pts = dv.getFloat32(off + 8, true);
    off += 12;
    frames.push({ index, count, pts, positions: floats(count * 3), scales: floats(count * 3), rotations: floats(count * 4),
      colors: floats(count * 3), opacities: floats(count) });
  }
  return { total, frames };
}

export class View3D {
  constructor(jobId) {
    this.jobId = jobId;
    this.cache = new Map();
    this.total = 0;
    this.current = -1;
    this.playing = false;
    this.cam = { target: [0, 0, 1], azimuth: 0, elevation: 0, distance: 3, fovY: Math.PI / 3 };
    this.canvas = el('canvas', { width: 640, height: 360, class: 'splat', tabindex: 0, 'data-role': 'splat-canvas',
      'aria-label': '3D Gaussian view. Drag or use arrow keys to orbit, plus and minus to zoom, space to play or pause.' });
    this.status = el('p', { class: 'view3d-status', role: 'status', 'data-role': 'splat-status' }, 'Waiting for the 3D stream…');
    this.playBtn = el('button', { type: 'button', disabled: true, onclick: () => this.toggle() }, 'Play');
    this.scrub = el('input', { type: 'range', min: 0, max: 0, value: 0, step: 1, disabled: true, 'aria-label': 'frame' });
    this.frameLabel = el('span', { class: 'muted frame-label' }, 'frame – / –');
    this.resetBtn = el('button', { type: 'button', disabled: true, onclick: () => { this.fit(); this.draw(); } }, 'Reset view');
    this.scrub.addEventListener('input', () => this.show(Number(this.scrub.value)));
    this.stage = el('div', { class: 'splat-stage empty', 'data-state': 'empty' }, this.canvas, this.status);
    this.root = el('div', { class: 'view3d' }, this.stage,
      el('div', { class: 'view3d-controls' }, this.playBtn, this.scrub, this.frameLabel, this.resetBtn));
    this.bindControls();
  }

  renderer() {
    if (this.r || this.rError) return this.r;
    try {
      this.r = new SplatRenderer(this.canvas);
    } catch (e) {
      this.rError = e.message;
      this.setEmpty(e.message);
    }
    return this.r;
  }

  setEmpty(text) {
    this.stage.classList.add('empty');
    this.stage.dataset.state = 'empty';
    this.status.hidden = false;
    this.status.textContent = text;
  }

  onDetail(d) {
    const st = (d.taskStatus || {}).gaussians;
    const stage = (d.stages || {}).gaussians;
    this.finished = d.state === 'done' || d.state === 'failed';
    if (this.total > 0 && this.current >= 0 && this.cache.has(this.current)) return;
    if (st === undefined) this.setEmpty('No 3D stream for this job: it did not ask for the 3D task.');
    else if (st === 'skipped' || st === 'failed') {
      this.setEmpty(`No 3D stream for this job: the 3D stage ${st === 'failed' ? 'failed' : 'was skipped'}${stage && stage.message ? ' (' + stage.message + ')' : ''}.`);
    } else if (this.finished || this.total > 0) this.show(Math.max(0, this.current));
    else this.setEmpty('Waiting for the first 3D frame…');
  }

  onFrameEvent(g) {
    if (!g.bytes) return; // the stream's closing marker carries no frame
    if (g.frame + 1 > this.total) {
      this.total = g.frame + 1;
      this.updateControls();
      if (this.current < 0) this.show(0);
    }
  }

  updateControls() {
    this.scrub.max = Math.max(0, this.total - 1);
    this.scrub.disabled = this.total < 1;
    this.playBtn.disabled = this.total < 2;
    this.resetBtn.disabled = this.total < 1;
    this.frameLabel.textContent = `frame ${Math.max(0, this.current) + (this.total ? 1 : 0)} / ${this.total}`;
  }

  async fetchFrom(i) {
    if (this.loading) return this.loading;
    this.loading = getBinary(url('/v1/jobs/' + this.jobId + '/gaussians/frames', { from: i, limit: 4 }))
      .then((buf) => {
        const batch = parseFrames(buf);
        this.total = Math.max(this.total, batch.total);
        for (const f of batch.frames) this.cache.set(f.index, f);
        // Bounded cache: keep the frames nearest to the one on screen.
        if (this.cache.size > 48) {
          for (const k of [...this.cache.keys()].sort((a, b) => Math.abs(b - i) - Math.abs(a - i)).slice(0, this.cache.size - 48)) this.cache.delete(k);
        }
      })
      .finally(() => { this.loading = null; });
    return this.loading;
  }

  async show(i) {
    if (i < 0 || (this.total > 0 && i >= this.total)) return;
    this.current = i;
    this.scrub.value = i;
    this.updateControls();
    if (!this.cache.has(i)) {
      try {
        await this.fetchFrom(i);
      } catch (e) {
        this.setEmpty('No 3D stream for this job: ' + e.message);
        return;
      }
    }
    if (this.current !== i) return;
    const f = this.cache.get(i);
    if (!f) {
      if (this.total === 0 && this.finished) {
        this.setEmpty('No 3D stream for this job: the server holds no Gaussian frames for it.');
      } else if (!this.finished) {
        // Announced but not stored yet: the stream file is still being written.
        if (!this.cache.size) this.setEmpty(`Waiting for 3D frame ${i + 1} to be stored…`);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.show(i), 1500);
      } else if (!this.cache.size) {
        this.setEmpty(`No 3D stream for this job: frame ${i + 1} is not in the stored stream.`);
      }
      return;
    }
    const r = this.renderer();
    if (!r) return;
    const first = !this.fitted;
    r.setFrame(f);
    if (first) this.fit();
    this.stage.classList.remove('empty');
    this.stage.dataset.state = 'frames';
    this.status.hidden = true;
    this.draw();
  }

  fit() {
    const f = this.cache.get(this.current);
    if (!f) return;
    const b = bounds(f);
    this.cam = { ...this.cam, target: b.center, azimuth: 0, elevation: 0, distance: b.radius * 2.2 };
    this.fitted = true;
  }

  draw() {
    if (this.raf || !this.r) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = null;
      const n = this.r.render(this.cam);
      this.canvas.dataset.drawn = String(n);
    });
  }

  toggle() {
    this.playing = !this.playing;
    this.playBtn.textContent = this.playing ? 'Pause' : 'Play';
    this.playBtn.setAttribute('aria-pressed', String(this.playing));
    if (this.playing) this.tick();
    else clearTimeout(this.timer);
  }

  tick() {
    if (!this.playing) return;
    const cur = this.cache.get(this.current);
    const next = this.cache.get(this.current + 1);
    const dt = cur && next && next.pts > cur.pts ? (next.pts - cur.pts) * 1000 : 100;
    this.show((this.current + 1) % Math.max(1, this.total));
    this.timer = setTimeout(() => this.tick(), Math.min(1000, Math.max(33, dt)));
  }

  bindControls() {
    let drag = null;
    this.canvas.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY }; this.canvas.setPointerCapture(e.pointerId); });
    this.canvas.addEventListener('pointerup', () => { drag = null; });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      this.orbit((e.clientX - drag.x) * 0.01, (e.clientY - drag.y) * 0.01);
      drag = { x: e.clientX, y: e.clientY };
    });
    this.canvas.addEventListener('wheel', (e) => { e.preventDefault(); this.zoom(e.deltaY > 0 ? 1.1 : 1 / 1.1); }, { passive: false });
    this.canvas.addEventListener('keydown', (e) => {
      const k = e.key;
      if (k === 'ArrowLeft') this.orbit(-0.1, 0);
      else if (k === 'ArrowRight') this.orbit(0.1, 0);
      else if (k === 'ArrowUp') this.orbit(0, -0.1);
      else if (k === 'ArrowDown') this.orbit(0, 0.1);
      else if (k === '+' || k === '=') this.zoom(1 / 1.1);
      else if (k === '-') this.zoom(1.1);
      else if (k === ' ') { if (!this.playBtn.disabled) this.toggle(); }
      else return;
      e.preventDefault();
    });
  }

  orbit(dAz, dEl) {
    this.cam.azimuth += dAz;
    this.cam.elevation = Math.max(-1.5, Math.min(1.5, this.cam.elevation + dEl));
    this.draw();
  }

  zoom(f) {
    this.cam.distance *= f;
    this.draw();
  }

  close() {
    this.playing = false;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    if (this.raf) cancelAnimationFrame(this.raf);
    if (this.r) this.r.dispose();
  }
}
