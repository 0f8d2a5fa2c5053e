import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * Sends bytes exactly as given (what fetch refuses to send: NUL in headers, raw invalid UTF-8,
 * broken encodings) and reads one response. `Connection: close` is added, so the server ends
 * the exchange.
 */
export function rawRequest(
  baseUrl: string,
  head: { method: string; path: string; headers?: Record<string, string> },
  body: Buffer | string = Buffer.alloc(0),
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const payload = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const headers = {
    host: `${hostname}:${port}`,
    connection: 'close',
    ...(payload.length || head.method !== 'GET'
      ? { 'content-length': String(payload.length) }
      : {}),
    ...head.headers,
  };
  const lines = [`${head.method} ${head.path} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const bytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [rawHead = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = rawHead.split('\r\n');
      const parsedHeaders: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(':');
        parsedHeaders[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      let responseBody = rest.join('\r\n\r\n');
      if (parsedHeaders['transfer-encoding'] === 'chunked') responseBody = unchunk(responseBody);
      let json: unknown;
      try {
        json = JSON.parse(responseBody);
      } catch {
        json = undefined;
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: parsedHeaders,
        body: responseBody,
        json,
      });
    });
    socket.write(bytes);
  });
}

function unchunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const at = rest.indexOf('\r\n');
    if (at < 0) return out;
    const size = parseInt(rest.slice(0, at), 16);
    if (!size) return out;
    out += rest.slice(at + 2, at + 2 + size);
    rest = rest.slice(at + 2 + size + 2);
  }
}
