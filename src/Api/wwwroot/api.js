// Calls the ServeNet API and turns every failure into one readable message.
// Errors come back as RFC 7807 problem details: their title and detail are what the user reads.

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

async function request(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError(0, 'The API cannot be reached', 'is the server running?');
  }
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : null;
  if (response.ok) return body;
  if (body && (body.title || body.detail)) {
    throw new ApiError(response.status, body.title ?? `HTTP ${response.status}`, body.detail ?? '');
  }
  throw new ApiError(response.status, `HTTP ${response.status}`, response.statusText);
}

function post(path, payload) {
  return request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(payload),
  });
}

/** Label, probabilities and each token's contribution (offsets in UTF-16 code units, as JavaScript strings count). */
export const classify = (text) => post('/classify?explain=true', { text }).then((r) => r.results[0]);

/** Tokens with BIO tags and entities with UTF-16 offsets into the text. */
export const tagEntities = (text) => post('/ner', { text }).then((r) => r.results[0]);

/** Every model slot: name, version, status. */
export const models = () => request('/models', { headers: { accept: 'application/json' } }).then((r) => r.models);
