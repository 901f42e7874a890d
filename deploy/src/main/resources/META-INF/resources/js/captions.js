// Captions per segment with the vision-token pruning figures the captioner reported; demo outputs are labelled.
import { el, time, figuresTable } from './dom.js';

export class Captions {
  constructor(onSeek) {
    this.onSeek = onSeek;
    this.items = new Map();
    this.list = el('ol', { class: 'captions' });
    this.empty = el('p', { class: 'muted' }, 'No captions yet.');
    this.root = el('div', {}, this.empty, this.list);
  }

  add(c) {
    this.empty.hidden = true;
    const li = el('li', { 'data-segment': c.segment, class: c.demo ? 'demo-output' : '' },
      el('div', { class: 'cap-head' },
        el('button', { class: 'stamp', type: 'button', onclick: () => this.onSeek(c.start), 'aria-label': 'play from ' + time(c.start) },
          `${time(c.start)}–${time(c.end)}`),
        c.demo ? el('span', { class: 'badge demo', title: 'from a demo checkpoint, not a trained model' }, 'DEMO') : null,
        c.model ? el('span', { class: 'muted model' }, c.model) : null),
      el('p', { class: 'cap-text' }, c.text),
      c.figures && Object.keys(c.figures).length
        ? el('details', {}, el('summary', {}, 'token pruning and cache figures'), figuresTable(c.figures)) : null);
    li.dataset.start = c.start;
    const old = this.items.get(c.segment);
    if (old) old.replaceWith(li);
    else {
      const after = [...this.list.children].find((x) => Number(x.dataset.start) > c.start);
      if (after) this.list.insertBefore(li, after); else this.list.append(li);
    }
    this.items.set(c.segment, li);
  }
}
