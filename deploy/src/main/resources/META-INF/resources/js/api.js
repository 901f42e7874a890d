// Talks to Prism's REST API: JSON fetches, the upload with progress, and URLs that carry the optional token.
const TOKEN_KEY = 'prism.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
}

/** A URL for elements that cannot send headers (EventSource, video, track): the token goes in the query. */
export function url(path, params = {}) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.searchParams.set(k, v);
  if (token()) u.searchParams.set('access_token', token());
  return u.pathname + u.search;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers() {
  return token() ? { Authorization: 'Bearer ' + token() } : {};
}

/** The API's error bodies are {status, error}; anything else becomes a readable sentence. */
export function errorMessage(status, text) {
  try {
    const body = JSON.parse(text);
    if (body && body.error) return body.error;
  } catch (e) {
    // not JSON: fall through
  }
  if (status === 0) return 'Prism could not be reached: check that the service is running.';
  return `Prism answered ${status}${text ? ': ' + text.slice(0, 200) : ''}`;
}

export async function getJson(path) {
  const r = await fetch(path, { headers: headers() });
  const text = await r.text();
  if (!r.ok) throw new ApiError(r.status, errorMessage(r.status, text));
  return JSON.parse(text);
}

export async function getBinary(path) {
  const r = await fetch(path, { headers: headers() });
  if (!r.ok) throw new ApiError(r.status, errorMessage(r.status, await r.text()));
  return r.arrayBuffer();
}

/** Multipart upload through XMLHttpRequest, the one browser API that reports upload progress. */
export function upload(file, fields, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file, file.name);
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/jobs');
    if (token()) xhr.setRequestHeader('Authorization', 'Bearer ' + token());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status === 202 || xhr.status === 200) resolve(JSON.parse(xhr.responseText));
      else reject(new ApiError(xhr.status, errorMessage(xhr.status, xhr.responseText)));
    };
    xhr.onerror = () => reject(new ApiError(0, errorMessage(0, '')));
    xhr.send(form);
  });
}
