// Owns posting a JSON document to a webhook: Node's fetch, a timeout on each attempt, bounded
// retries with backoff on what may pass (5xx, 429, a timeout, a connection error), success on a
// 2xx answer (Slack answers 200 `ok`). The URL is the secret, so nothing this returns quotes it:
// failures are described by their status or error code, never by an error's own message (which
// can carry the URL), and a body that echoes it is redacted.

export interface WebhookOptions {
  /** Per attempt, answer included (default 10 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2: three attempts in all). */
  retries?: number;
  /** The first pause before a retry; each later one doubles (default 500 ms). */
  backoffMs?: number;
  /** How to wait between attempts (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Told before each retry: why the last attempt failed, and how long until the next one. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed (1-based), of how many at most. */
  attempt: number;
  of: number;
  problem: string;
  delayMs: number;
}

export interface WebhookResult {
  ok: boolean;
  attempts: number;
  /** The last HTTP status; null when no answer came. */
  status: number | null;
  /** Why it failed, in words that never hold the URL. */
  problem?: string;
}

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, retries: 2, backoffMs: 500 } as const;

/** A 429's Retry-After is honoured up to this; a longer wait is not worth holding a sign-off for. */
const MAX_RETRY_AFTER_MS = 30_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What is wrong with a webhook URL taken from a secret, without repeating it; undefined when it is usable. */
export function webhookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'does not hold a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `does not hold an http(s) URL (found a ${url.protocol.replace(/:$/, '')} URL)`;
  return undefined;
}

/** Posts `body` as JSON; never throws for a failed delivery — the result says what happened. */
export async function postWebhook(url: string, body: unknown, options: WebhookOptions = {}): Promise<WebhookResult> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs;
  const attempts = 1 + Math.max(0, options.retries ?? WEBHOOK_DEFAULTS.retries);
  const backoffMs = options.backoffMs ?? WEBHOOK_DEFAULTS.backoffMs;
  const sleep = options.sleep ?? defaultSleep;
  const doFetch = options.fetch ?? fetch;
  const target = url.trim();
  const problem = webhookUrlProblem(target);
  if (problem) return { ok: false, attempts: 0, status: null, problem: `the secret ${problem}` };
  const json = JSON.stringify(body);

  let last: WebhookResult = { ok: false, attempts: 0, status: null, problem: 'not attempted' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const outcome = await attemptOnce(doFetch, target, json, timeoutMs);
    last = { ok: outcome.ok, attempts: attempt, status: outcome.status, ...(outcome.problem ? { problem: outcome.problem } : {}) };
    if (outcome.ok || !outcome.retry || attempt === attempts) break;
    const delayMs = outcome.retryAfterMs ?? backoffMs * 2 ** (attempt - 1);
    options.onRetry?.({ attempt, of: attempts, problem: outcome.problem ?? 'failed', delayMs });
    await sleep(delayMs);
  }
  return last;
}

interface Attempt {
  ok: boolean;
  status: number | null;
  problem?: string;
  /** Whether another attempt may do better. */
  retry: boolean;
  retryAfterMs?: number;
}

async function attemptOnce(doFetch: typeof fetch, url: string, json: string, timeoutMs: number): Promise<Attempt> {
  let response: Response;
  let text: string;
  try {
    // A redirect is not followed: it would turn the POST into a GET, or carry the message elsewhere.
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'change-control' },
      body: json,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    return { ok: false, status: null, retry: true, problem: describeFailure(err, timeoutMs) };
  }
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, retry: false };
  const said = answerText(text, url);
  const problem = `HTTP ${response.status}${said ? ` "${said}"` : ''}`;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
    return { ok: false, status: 429, retry: true, problem, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (response.status >= 300 && response.status < 400) return { ok: false, status: response.status, retry: false, problem: `${problem} (a redirect: check the URL in the secret)` };
  return { ok: false, status: response.status, retry: response.status >= 500, problem };
}

/** A failed request in words: the kind of failure and its code, never the error's message. */
function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${formatMs(timeoutMs)}`;
  const code = e?.cause?.code ?? e?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host lookup failed',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'connection closed',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  };
  if (typeof code === 'string') return `${words[code] ?? 'request failed'} (${code})`;
  return 'request failed';
}

/** The start of what the receiver answered, on one line, with the URL and its path taken out. */
function answerText(text: string, url: string): string {
  let out = text;
  const { pathname, host } = new URL(url);
  for (const secret of [url, pathname.length > 1 ? pathname : '', host]) if (secret) out = out.split(secret).join('…');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > 120 ? `${out.slice(0, 119)}…` : out;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
