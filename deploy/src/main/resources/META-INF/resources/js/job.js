// One job: header, stages, media with timed text tracks, live transcript, captions, codec stream, 3D view.
import { getJson, url } from './api.js';
import { openStream } from './live.js';
import { el, fill, stateBadge, pct, ms, figuresDetails } from './dom.js';
import { Transcript } from './transcript.js';
import { Captions } from './captions.js';
import { BitrateChart } from './chart.js';
import { View3D } from './view3d.js';

const TASK_STAGES = { transcript: ['asr'], captions: ['vlm', 'vision'], codec: ['codec'], gaussians: ['gaussians'] };
const TASK_LABEL = { transcript: 'Transcript', captions: 'Captions', codec: 'Codec', gaussians: '3D Gaussians' };

export class JobView {
  constructor(id, host, onSummary) {
    this.id = id;
    this.host = host;
    this.onSummary = onSummary;
    this.detail = null;
    this.closed = false;
    this.tracksAdded = false;
    this.refreshTimer = null;
    this.build();
    this.load();
  }

  build() {
    this.host.className = 'job';
    this.header = el('div', { class: 'job-head' });
    this.demoBanner = el('p', { class: 'demo-banner', hidden: true },
      el('strong', {}, 'Demo checkpoint. '),
      'Outputs marked DEMO come from a small demo model, not a trained one: they show the pipeline working, not real quality.');
    this.stages = el('div', { class: 'stages' });
    this.video = el('video', { controls: true, preload: 'metadata', crossorigin: 'anonymous', class: 'player', 'aria-label': 'job media' });
    this.mediaNote = el('p', { class: 'muted media-note', role: 'status' });
    this.liveTracks = null;
    this.transcript = new Transcript((t) => this.seek(t));
    this.captions = new Captions((t) => this.seek(t));
    this.chart = new BitrateChart();
    this.codecAudio = el('div', { class: 'codec-audio' });
    this.codecSummary = el('p', { class: 'muted', 'data-role': 'codec-summary' }, 'No codec frames yet.');
    this.view3d = new View3D(this.id);
    this.results = el('div', { class: 'results' });

    const section = (id, title, ...body) => el('section', { class: 'card', id, 'aria-labelledby': id + '-h' },
      el('h3', { id: id + '-h' }, title), ...body);
    this.taskNotes = {};
    for (const t of Object.keys(TASK_LABEL)) this.taskNotes[t] = el('p', { class: 'task-note', 'data-task': t, hidden: true });

    fill(this.host,
      this.header,
      this.demoBanner,
      el('div', { class: 'grid' },
        section('sec-media', 'Media', this.video, this.mediaNote, this.results),
        section('sec-stages', 'Stages', this.stages),
        section('sec-transcript', 'Live transcript', this.taskNotes.transcript, this.transcript.root),
        section('sec-captions', 'Captions per segment', this.taskNotes.captions, this.captions.root),
        section('sec-codec', 'Codec stream', this.taskNotes.codec, this.chart.root, this.codecSummary, this.codecAudio),
        section('sec-3d', '3D Gaussian stream', this.taskNotes.gaussians, this.view3d.root)));
    this.renderHeader({ id: this.id, state: 'loading' });
  }

  async load() {
    try {
      // media/info answers 200 even before the tracker has folded a just-submitted job in.
      const media = await getJson('/v1/jobs/' + this.id + '/media/info');
      if (this.closed) return;
      if (!media.known) {
        this.mediaNote.textContent = 'Waiting for the job to appear…';
        this.retry = setTimeout(() => this.load(), 300);
        return;
      }
      this.mediaNote.textContent = '';
      const detail = await getJson('/v1/jobs/' + this.id);
      if (this.closed) return;
      this.setupMedia(media);
      this.apply(detail);
    } catch (e) {
      if (!this.closed) this.renderHeader({ id: this.id, state: 'unknown', error: e.message });
      return;
    }
    this.stream = openStream('/v1/jobs/' + this.id + '/events', {}, (ev) => this.onEvent(ev), (s) => {
      const n = this.header.querySelector('.live-state');
      if (n) n.textContent = s === 'live' ? '' : s;
    });
  }

  close() {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.refreshTimer);
    if (this.stream) this.stream.close();
    this.view3d.close();
    this.video.removeAttribute('src');
    this.video.load();
  }

  seek(t) {
    if (this.video.readyState > 0) {
      this.video.currentTime = t;
      this.video.focus();
    }
  }

  setupMedia(info) {
    if (!info.available) {
      this.video.hidden = true;
      this.mediaNote.textContent = info.reason;
      return;
    }
    this.video.addEventListener('error', () => {
      this.mediaNote.textContent = `This browser cannot play the uploaded ${info.type} (its codec is not supported here). `
        + 'The transcript, captions and 3D view below still follow the job.';
      this.video.classList.add('unplayable');
    });
    this.video.addEventListener('loadedmetadata', () => {
      if (this.video.videoWidth) {
        this.mediaNote.textContent = '';
        return;
      }
      this.video.classList.add('audio-only');
      this.noteVideoTrack();
    });
    this.video.src = url('/v1/jobs/' + this.id + '/media');
  }

  /** The probe arrives with the job's events, possibly after the player found no picture. */
  noteVideoTrack() {
    const probe = (this.detail && this.detail.probe) || {};
    if (this.video.classList.contains('audio-only') && probe.video) {
      this.mediaNote.textContent = 'This browser plays the audio of this file but cannot show its video track '
        + '(the video codec is not supported here).';
    }
  }

  onEvent(ev) {
    switch (ev.type) {
      case 'job':
        this.renderHeader(ev.data);
        this.onSummary(ev.data);
        this.scheduleRefresh(0);
        break;
      case 'event':
        if (ev.data.figures && ev.data.figures.demo) this.demoBanner.hidden = false;
        this.scheduleRefresh(300);
        break;
      case 'transcript.partial':
      case 'transcript.final':
        this.transcript.update(ev.data);
        if (ev.data.fin) this.addLiveCue('transcript', ev.data.start, ev.data.end, ev.data.text);
        break;
      case 'caption':
        this.captions.add(ev.data);
        if (ev.data.demo) this.demoBanner.hidden = false;
        this.addLiveCue('captions', ev.data.start, ev.data.end, (ev.data.demo ? '[DEMO] ' : '') + ev.data.text);
        break;
      case 'codec':
        this.chart.add(ev.data);
        this.codecSummary.textContent = this.chart.summary();
        break;
      case 'gaussians':
        this.view3d.onFrameEvent(ev.data);
        break;
      default:
        break;
    }
  }

  scheduleRefresh(delay) {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(async () => {
      this.refreshTimer = null;
      try {
        const d = await getJson('/v1/jobs/' + this.id);
        if (!this.closed) this.apply(d);
      } catch (e) {
        if (!this.closed) this.mediaNote.textContent = e.message;
      }
    }, delay);
  }

  /** Cues for the player while the job runs; the finished job's WebVTT files replace them. */
  addLiveCue(kind, start, end, text) {
    if (this.tracksAdded || !text || !(end > start) || typeof VTTCue === 'undefined') return;
    if (!this.liveTracks) {
      this.liveTracks = {
        transcript: this.video.addTextTrack('subtitles', 'Transcript (live)', 'en'),
        captions: this.video.addTextTrack('subtitles', 'Captions (live)', 'en'),
      };
      this.liveTracks.transcript.mode = 'showing';
      this.liveTracks.captions.mode = 'hidden';
    }
    this.liveTracks[kind].addCue(new VTTCue(start, end, text));
  }

  apply(d) {
    this.detail = d;
    this.renderHeader(d);
    this.onSummary(d);
    if (d.demo) this.demoBanner.hidden = false;
    this.renderStages(d);
    this.renderTaskNotes(d);
    this.view3d.onDetail(d);
    this.noteVideoTrack();
    if (d.results) this.renderResults(d);
  }

  renderHeader(d) {
    const finished = d.state === 'done' || d.state === 'failed';
    fill(this.header,
      el('h2', { id: 'job-title' }, d.source || d.id),
      el('p', { class: 'job-sub' },
        stateBadge(d.state), ' ',
        d.demo ? el('span', { class: 'badge demo', title: 'outputs from a demo checkpoint' }, 'DEMO') : null, ' ',
        el('span', { class: 'muted' }, 'job ', el('code', {}, d.id)), ' ',
        el('span', { class: 'muted' }, finished ? '' : pct(d.progress)), ' ',
        el('span', { class: 'muted live-state', 'aria-live': 'polite' }, this.stream ? '' : '')),
      d.error ? el('p', { class: 'error', role: 'alert' }, d.error) : null,
      el('progress', { max: 1, value: finished ? 1 : d.progress || 0, 'aria-label': 'job progress' }));
    this.header.dataset.state = d.state;
  }

  renderStages(d) {
    const rows = Object.entries(d.stages || {}).map(([name, s]) => el('tr', { 'data-stage': name, 'data-state': s.state },
      el('th', { scope: 'row' }, name),
      el('td', {}, stateBadge(s.state)),
      el('td', {}, s.state === 'skipped' ? '–'
        : [el('progress', { max: 1, value: s.progress || 0, 'aria-label': name + ' progress' }), ' ', pct(s.progress)]),
      el('td', { class: 'num' }, s.segments ?? 0),
      el('td', { class: 'num' }, ms(s.elapsedMs)),
      el('td', { class: 'details' }, s.message || '', figuresDetails(s.figures, 'figures'))));
    const tasks = Object.entries(d.taskStatus || {}).map(([t, st]) =>
      el('li', { 'data-task': t, 'data-status': st }, el('span', {}, TASK_LABEL[t] || t), ' ', stateBadge(st)));
    fill(this.stages,
      el('ul', { class: 'task-status', 'aria-label': 'task status' }, tasks),
      rows.length ? el('table', { class: 'stage-table' },
        el('thead', {}, el('tr', {}, ['stage', 'state', 'progress', 'segments', 'latency', 'details'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows)) : el('p', { class: 'muted' }, 'No stage has reported yet.'),
      (d.warnings || []).length ? el('ul', { class: 'warnings' }, d.warnings.map((w) => el('li', {}, w))) : null);
  }

  renderTaskNotes(d) {
    const status = d.taskStatus || {};
    for (const [task, note] of Object.entries(this.taskNotes)) {
      const st = status[task];
      // The stage that explains the status: the first of the task's stages that left a message.
      const stage = TASK_STAGES[task].map((n) => (d.stages || {})[n]).find((x) => x && x.message);
      let text = null;
      if (st === undefined) text = `This job did not ask for ${TASK_LABEL[task].toLowerCase()}.`;
      else if (st === 'skipped') text = `${TASK_LABEL[task]} skipped${stage && stage.message ? ': ' + stage.message : ''}.`;
      else if (st === 'failed') text = `${TASK_LABEL[task]} failed${stage && stage.message ? ': ' + stage.message : ''}.`;
      else if (st === 'done' && task === 'transcript' && this.transcript.lines.size === 0) text = 'The recognizer heard no words in this media.';
      note.hidden = !text;
      note.dataset.status = st || 'not requested';
      note.textContent = text || '';
    }
  }

  renderResults(d) {
    const status = d.taskStatus || {};
    const links = Object.entries(d.results).filter(([name]) => {
      const task = name.startsWith('transcript') ? 'transcript' : name.startsWith('captions') ? 'captions'
        : name === 'audio.codes' ? 'codec' : name === 'gaussians' ? 'gaussians' : null;
      return task === null || status[task] === 'done';
    }).filter(([name]) => name !== 'gaussians');
    fill(this.results,el('p', {}, 'Results: ', links.map(([name, href], i) =>
      [i ? ' · ' : '', el('a', { href: url(href), download: name }, name)])));
    const audio = Object.entries(d.results).find(([name]) => /\.(wav|ogg|opus|mp3|flac)$/.test(name));
    fill(this.codecAudio,audio
      ? el('figure', {}, el('figcaption', {}, 'Reconstructed from the codec tokens'),
        el('audio', { controls: true, src: url(audio[1]), 'aria-label': 'codec reconstruction' }))
      : el('p', { class: 'muted' }, status.codec === 'done'
        ? 'The server offers no reconstructed audio for this job; download the token stream (audio.codes) above.'
        : 'No reconstructed audio: the codec task did not finish.'));
    if (!this.tracksAdded && (status.transcript === 'done' || status.captions === 'done')) {
      this.tracksAdded = true;
      if (this.liveTracks) {
        this.liveTracks.transcript.mode = 'disabled';
        this.liveTracks.captions.mode = 'disabled';
      }
      if (status.transcript === 'done') {
        this.video.append(el('track', { kind: 'subtitles', label: 'Transcript', srclang: 'en', default: true,
          src: url(d.results['transcript.vtt']) }));
      }
      if (status.captions === 'done') {
        this.video.append(el('track', { kind: 'subtitles', label: 'Captions', srclang: 'en',
          src: url(d.results['captions.vtt']) }));
      }
    }
  }
}
