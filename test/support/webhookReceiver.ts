// A webhook receiver on 127.0.0.1 for tests: records every request it gets, and answers as told —
// 200 `ok` as Slack does, another status for the next N requests, or nothing at all (a hang).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; body: string; headers?: Record<string, string> } | 'hang';

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly queue: Answer[] = [];
  private fallback: Answer = { status: 200, body: 'ok' };
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = http.createServer((req, res) => receiver!.handle(req, res));
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** A URL on this receiver; the path stands for the secret part of a real webhook URL. */
  url(path = '/services/T0001/B0001/s3cr3t-t0ken'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next `times` requests get this answer, then the usual one. */
  failTimes(times: number, status = 500, body = 'internal error', headers?: Record<string, string>): this {
    for (let i = 0; i < times; i++) this.queue.push({ status, body, ...(headers ? { headers } : {}) });
    return this;
  }

  /** Every request from now on gets this answer. */
  always(status: number, body = ''): this {
    this.fallback = { status, body };
    return this;
  }

  /** Every request from now on gets no answer at all. */
  hang(): this {
    this.fallback = 'hang';
    return this;
  }

  /** The bodies received, parsed. */
  json(): unknown[] {
    return this.requests.map((r) => JSON.parse(r.body) as unknown);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = this.queue.shift() ?? this.fallback;
      if (answer === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body);
    });
  }
}
