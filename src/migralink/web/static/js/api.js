// The page's only data source: the REST API of the server that serves it.
const BASE = 'api/v1';
// The largest page the API serves; bigger answers are followed through their `next` links.
const PAGE = 10000;
const cache = new Map();

export class ApiError extends Error {}

function url(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) {
      if (item !== undefined && item !== null && item !== '') query.append(key, item);
    }
  }
  const text = query.toString();
  return `${BASE}${path}${text ? `?${text}` : ''}`;
}

async function fetchJson(address) {
  const response = await fetch(address, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) {
    const error = new ApiError(body?.error?.title ?? response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
}

/** GET `path` (under /api/v1) as JSON; answers are kept for the life of the page. */
export function get(path, params = {}) {
  const address = url(path, params);
  if (!cache.has(address)) {
    cache.set(address, fetchJson(address).catch((error) => {
      cache.delete(address);
      throw error;
    }));
  }
  return cache.get(address);
}

/** Like `get`, but `null` when the API answers 404 (an optional part is absent). */
export async function getOptional(path, params = {}) {
  try {
    return await get(path, params);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

/** Every row of a paged answer (observations, indicators). */
export async function allRows(path, params = {}) {
  const first = await get(path, { ...params, limit: PAGE });
  const rows = [...first.rows];
  let next = first.next;
  while (next) {
    const page = await fetchJson(next.replace(/^\/api\/v1/, BASE));
    rows.push(...page.rows);
    next = page.next;
  }
  return { ...first, rows };
}
