// One Server-Sent Events stream. EventSource reconnects by itself and sends Last-Event-ID, and the server
// replays exactly what came after it, so a reconnect needs nothing from us but showing the state.
import { url } from './api.js';

export function openStream(path, params, onEvent, onState) {
  const es = new EventSource(url(path, params));
  let seen = 0;
  es.onopen = () => onState('live');
  es.onerror = () => onState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  es.onmessage = (m) => {
    const ev = JSON.parse(m.data);
    // Belt and braces: ids only grow, so anything not newer is a duplicate.
    if (ev.seq <= seen) return;
    seen = ev.seq;
    onEvent(ev);
  };
  es.addEventListener('overflow', () => onState('catching up'));
  return { close: () => es.close() };
}
