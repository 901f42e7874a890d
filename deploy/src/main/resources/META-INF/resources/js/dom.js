// Small DOM helpers shared by the views.
export function el(tag, attrs = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else if (k === 'class') n.className = v;
    else n.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

/** replaceChildren that skips null/false entries (the DOM would print them as text). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function stateBadge(state) {
  return el('span', { class: 'badge state-' + (state || 'unknown') }, state || 'unknown');
}

export function pct(p) {
  return Math.round((p || 0) * 100) + '%';
}

export function time(s) {
  if (s === undefined || s === null || !isFinite(s)) return '–';
  const m = Math.floor(s / 60);
  const sec = s - m * 60;
  return `${m}:${sec.toFixed(1).padStart(4, '0')}`;
}

export function ms(v) {
  if (v === undefined || v === null) return '–';
  return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Math.round(v) + ' ms';
}

/** A figure value made readable: byte counts get units, ratios get percent, long floats get rounded. */
export function figure(key, v) {
  if (typeof v === 'number') {
    if (/bytes/i.test(key)) {
      if (v >= 1 << 20) return (v / (1 << 20)).toFixed(2) + ' MiB';
      if (v >= 1 << 10) return (v / (1 << 10)).toFixed(1) + ' KiB';
      return v + ' B';
    }
    if (/ratio|fraction|kept$/i.test(key) && v > 0 && v <= 1 && !Number.isInteger(v)) return (v * 100).toFixed(1) + '%';
    if (/ms$/i.test(key)) return ms(v);
    return Number.isInteger(v) ? String(v) : v.toFixed(3);
  }
  if (Array.isArray(v)) return v.map((x) => figure(key, x)).join(' → ');
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${figure(k, x)}`).join(', ');
  return String(v);
}

export function figuresTable(figs, caption) {
  const entries = Object.entries(figs || {}).filter(([k]) => k !== 'demo');
  if (!entries.length) return null;
  return el('table', { class: 'figs' }, caption ? el('caption', {}, caption) : null,
    el('tbody', {}, entries.map(([k, v]) => {
      const text = figure(k, v);
      return el('tr', {}, el('th', { scope: 'row' }, k), el('td', { title: text.length > 80 ? text : null },
        text.length > 80 ? text.slice(0, 77) + '…' : text));
    })));
}

/** Figures folded away behind a summary, for places where they would crowd the view. */
export function figuresDetails(figs, label) {
  const t = figuresTable(figs);
  if (!t) return null;
  return el('details', { class: 'figs-box' }, el('summary', {}, `${label} (${Object.keys(figs).filter((k) => k !== 'demo').length})`), t);
}
