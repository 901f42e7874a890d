// The live transcript: one line per segment; partial hypotheses are shown apart from final words and are
// replaced as the recognizer revises them.
import { el, time } from './dom.js';

export class Transcript {
  constructor(onSeek) {
    this.onSeek = onSeek;
    this.lines = new Map();
    this.list = el('ol', { class: 'transcript', 'aria-live': 'polite', 'aria-relevant': 'additions text' });
    this.empty = el('p', { class: 'muted' }, 'No transcript yet.');
    this.legend = el('p', { class: 'legend' }, 'Final words in plain text; ',
      el('span', { class: 'partial' }, 'partial words in italics'), ' until the recognizer settles them.');
    this.root = el('div', {}, this.legend, this.empty, this.list);
  }

  update(t) {
    // Final words are committed several times per media segment (every agreement step), so each final is its own
    // line keyed by where its words start; the uncommitted tail is one partial line that every later event replaces.
    const hasWords = (t.text && t.text.trim()) || (t.words && t.words.length);
    if (!t.fin || !hasWords) this.dropPartial();
    if (!hasWords) return; // an empty partial (nothing pending) or the closing marker
    this.empty.hidden = true;
    const key = t.fin ? 'final:' + t.start : 'partial';
    const li = this.lines.get(key);
    const words = (t.words && t.words.length) ? t.words : null;
    const body = words
      ? words.map((w, i) => [i ? ' ' : '', el('span', {
        class: 'word' + (t.fin ? '' : ' partial') + (w.confidence < 0.5 ? ' low' : ''),
        title: `${time(w.start)}–${time(w.end)}, confidence ${(w.confidence * 100).toFixed(0)}%`,
      }, w.word)])
      : el('span', { class: t.fin ? 'word' : 'word partial' }, t.text);
    const stamp = el('button', { class: 'stamp', type: 'button', onclick: () => this.onSeek(t.start),
      'aria-label': 'play from ' + time(t.start) }, time(t.start));
    const next = el('li', { 'data-segment': t.segment, 'data-fin': String(!!t.fin), class: t.fin ? 'final' : 'partial-line' }, stamp, ' ', body);
    next.dataset.start = t.start;
    if (li) li.replaceWith(next);
    else this.insertSorted(next, t.start);
    this.lines.set(key, next);
  }

  dropPartial() {
    const li = this.lines.get('partial');
    if (li) li.remove();
    this.lines.delete('partial');
  }

  insertSorted(li, start) {
    const after = [...this.list.children].find((c) => Number(c.dataset.start) > start);
    if (after) this.list.insertBefore(li, after); else this.list.append(li);
  }
}
