// Codec bitrate over media time: one step per codec segment, drawn on a small canvas.
import { el } from './dom.js';

export class BitrateChart {
  constructor() {
    this.points = new Map();
    this.canvas = el('canvas', { width: 480, height: 140, class: 'chart', role: 'img', 'aria-label': 'codec bitrate over time: no data yet' });
    this.root = this.canvas;
    this.draw();
  }

  add(p) {
    this.points.set(p.segment, p);
    this.draw();
  }

  summary() {
    const pts = [...this.points.values()];
    if (!pts.length) return 'No codec frames yet.';
    const bits = pts.reduce((a, p) => a + p.bits, 0);
    const secs = pts.reduce((a, p) => a + Math.max(0, p.end - p.start), 0);
    return `${pts.length} segments, ${(bits / 8 / 1024).toFixed(1)} KiB, mean ${(secs > 0 ? bits / 1000 / secs : 0).toFixed(2)} kbps`;
  }

  draw() {
    const c = this.canvas;
    const g = c.getContext('2d');
    const w = c.width;
    const h = c.height;
    const pad = { l: 62, r: 8, t: 10, b: 22 };
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, w, h);
    const pts = [...this.points.values()].sort((a, b) => a.start - b.start);
    const tMax = Math.max(1, ...pts.map((p) => p.end));
    const kMax = Math.max(1, ...pts.map((p) => p.kbps)) * 1.15;
    const x = (t) => pad.l + (t / tMax) * (w - pad.l - pad.r);
    const y = (k) => h - pad.b - (k / kMax) * (h - pad.t - pad.b);
    g.strokeStyle = '#8a929c';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(pad.l, pad.t);
    g.lineTo(pad.l, h - pad.b);
    g.lineTo(w - pad.r, h - pad.b);
    g.stroke();
    g.fillStyle = '#3a414a';
    g.font = '11px system-ui, sans-serif';
    g.fillText(kMax.toFixed(1) + ' kbps', 2, pad.t + 8);
    g.fillText("0", pad.l - 12, h - pad.b);
    g.fillText(tMax.toFixed(1) + ' s', w - pad.r - 36, h - 6);
    if (!pts.length) {
      g.fillText('waiting for codec frames', pad.l + 10, h / 2);
      return;
    }
    g.fillStyle = 'rgba(11, 92, 173, 0.18)';
    g.strokeStyle = '#0b5cad';
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(x(pts[0].start), y(0));
    for (const p of pts) {
      g.lineTo(x(p.start), y(p.kbps));
      g.lineTo(x(p.end), y(p.kbps));
    }
    g.lineTo(x(pts[pts.length - 1].end), y(0));
    g.closePath();
    g.fill();
    g.beginPath();
    pts.forEach((p, i) => {
      if (i === 0) g.moveTo(x(p.start), y(p.kbps)); else g.lineTo(x(p.start), y(p.kbps));
      g.lineTo(x(p.end), y(p.kbps));
    });
    g.stroke();
    this.canvas.setAttribute('aria-label', 'codec bitrate over time: ' + this.summary());
  }
}
