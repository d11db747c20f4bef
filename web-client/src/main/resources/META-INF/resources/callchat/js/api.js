// The server's one HTTP call. Errors come back as RFC 9457 problem+json; we surface their `detail`.

/** A failed login, carrying the text to show the user. */
export class LoginError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'LoginError';
    this.status = status;
  }
}

/**
 * POST /login.
 * @param {string} username
 * @param {string|undefined} room blank means the server's default room
 * @returns {Promise<{token:string, conversation_sid:string|null, room:string, identity:string,
 *   expires_at:string, chat:boolean, provider:'twilio'|'local'}>}
 */
export async function login(username, room) {
  const body = { username };
  if (room) body.room = room;
  let response;
  try {
    response = await fetch('login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new LoginError('The server could not be reached. Check your connection and try again.', 0);
  }
  if (response.ok) return response.json();
  throw new LoginError(await problemText(response), response.status);
}

async function problemText(response) {
  const fallback = `Login failed (HTTP ${response.status}).`;
  try {
    const problem = await response.json();
    const text = problem.detail || problem.title;
    if (!text) return fallback;
    const retry = response.headers.get('Retry-After');
    return retry ? `${text} (try again in ${retry} s)` : text;
  } catch {
    return fallback;
  }
}

/**
 * A host action on the caller's room: POST room/<action> with the caller's token. The server decides
 * whether the caller hosts the room; a refusal comes back as a LoginError carrying the problem's detail.
 * @param {'remove'|'ban'|'lock'|'unlock'|'end'|'host'} action
 * @param {string} token the caller's token from login
 * @param {object|undefined} body JSON body ({identity}, {identity, until})
 */
export async function hostAction(action, token, body) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json, application/problem+json' };
  if (body) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`room/${action}`, {
      method: 'POST', headers, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (e) {
    throw new LoginError('The server could not be reached. Check your connection and try again.', 0);
  }
  if (response.ok) return response.status === 204 ? null : response.json();
  throw new LoginError(await problemText(response), response.status);
}
