// The dashboard's entry: upload, the live job list and hash routing to one job's view (#/jobs/ID).
import { getJson, upload, setToken, ApiError } from './api.js';
import { openStream } from './live.js';
import { JobView } from './job.js';
import { el, stateBadge, pct } from './dom.js';

const jobs = new Map();
let listStream = null;
let view = null;
let refreshTimer = null;

function setConn(text) {
  document.getElementById('conn').textContent = text;
}

function renderList() {
  const ul = document.getElementById('jobs');
  const items = [...jobs.values()].sort((a, b) => (b.createdMs || 0) - (a.createdMs || 0));
  document.getElementById('jobs-empty').hidden = items.length > 0;
  const current = currentJobId();
  ul.replaceChildren(...items.map((j) => {
    const a = el('a', { href: '#/jobs/' + j.id, class: 'job-link', 'data-job': j.id, 'data-state': j.state },
      el('span', { class: 'job-name' }, j.source || j.id),
      el('span', { class: 'job-meta' }, stateBadge(j.state), j.demo ? el('span', { class: 'badge demo' }, 'demo') : null,
        el('span', { class: 'job-pct' }, pct(j.progress))));
    if (j.id === current) a.setAttribute('aria-current', 'page');
    const bar = el('progress', { max: 1, value: j.progress || 0, 'aria-label': 'progress of ' + (j.source || j.id) });
    return el('li', {}, a, bar);
  }));
}

async function refreshList() {
  try {
    for (const j of await getJson('/v1/jobs')) jobs.set(j.id, j);
    renderList();
  } catch (e) {
    handleApiError(e);
  }
}

function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refreshList(); }, 400);
}

function handleApiError(e) {
  if (e instanceof ApiError && e.status === 401) {
    document.getElementById('token-form').hidden = false;
    setConn('this Prism needs an API token');
  } else {
    setConn(e.message);
  }
}

function startList() {
  if (listStream) listStream.close();
  // Live-only stream first, then the list, so nothing that happens in between is missed.
  listStream = openStream('/v1/events', { types: 'job,event', live: 'true' }, (ev) => {
    if (ev.type === 'job') {
      jobs.set(ev.jobId, { ...(jobs.get(ev.jobId) || {}), ...ev.data });
      renderList();
    }
    // Stage events change state and progress; the summary is recomputed by the server.
    scheduleRefresh();
  }, (state) => setConn(state === 'live' ? 'live' : state));
  refreshList();
}

function currentJobId() {
  const m = location.hash.match(/^#\/jobs\/([A-Za-z0-9_-]+)/);
  return m ? m[1] : null;
}

function route() {
  const id = currentJobId();
  if (view && view.id === id) return;
  if (view) view.close();
  view = null;
  const host = document.getElementById('job-view');
  if (id) {
    view = new JobView(id, host, (summary) => { jobs.set(id, { ...(jobs.get(id) || {}), ...summary }); renderList(); });
  } else {
    host.className = 'placeholder';
    host.replaceChildren(el('p', { class: 'muted' },
      'Upload a file or pick a job to watch its transcript, captions, codec stream and 3D view live.'));
  }
  renderList();
}

function setupUpload() {
  const drop = document.getElementById('drop');
  const input = document.getElementById('file');
  const msg = document.getElementById('upload-msg');
  const bar = document.getElementById('upload-bar');
  const pctEl = document.getElementById('upload-pct');
  const box = document.getElementById('upload-progress');

  async function send(file) {
    if (!file) return;
    const tasks = [...document.querySelectorAll('input[name=task]:checked')].map((c) => c.value).join(',');
    msg.textContent = '';
    msg.className = 'msg';
    box.hidden = false;
    bar.value = 0;
    pctEl.textContent = '0%';
    try {
      const job = await upload(file, { tasks, prompt: document.getElementById('prompt').value.trim() }, (f) => {
        bar.value = Math.round(f * 100);
        pctEl.textContent = Math.round(f * 100) + '%';
      });
      bar.value = 100;
      pctEl.textContent = '100%';
      msg.className = 'msg ok';
      msg.textContent = `Accepted “${file.name}” as job ${job.id}.`;
      if (!jobs.has(job.id)) jobs.set(job.id, { id: job.id, state: 'queued', source: file.name, progress: 0, createdMs: Date.now() });
      location.hash = '#/jobs/' + job.id;
      renderList();
    } catch (e) {
      box.hidden = true;
      msg.className = 'msg error';
      msg.textContent = `Upload of “${file.name}” refused: ${e.message}`;
      if (e.status === 401) document.getElementById('token-form').hidden = false;
    } finally {
      input.value = '';
    }
  }

  drop.addEventListener('click', () => input.click());
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); }
  });
  input.addEventListener('change', () => send(input.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) send(e.dataTransfer.files[0]);
  });
}

function setupToken() {
  const form = document.getElementById('token-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(document.getElementById('token').value.trim());
    form.hidden = true;
    startList();
    if (view) { const id = view.id; view.close(); view = null; location.hash = '#/jobs/' + id; route(); }
  });
}

setupUpload();
setupToken();
startList();
window.addEventListener('hashchange', route);
route();
