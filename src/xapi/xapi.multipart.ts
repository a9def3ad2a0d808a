// multipart/mixed bodies (Communication 1.5.2): the first part is the statement(s) as JSON, each
// further part one attachment's bytes, named by its `X-Experience-API-Hash` (the attachment's sha2).
import crypto from 'node:crypto';

export type Part = { headers: Record<string, string>; body: Buffer };

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/** Splits a multipart body; undefined when it is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): Part[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    else if (body[pos] === 0x0a) pos += 1;
    else return undefined;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) return undefined;
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;
    const chunk = body.subarray(pos, end);
    let headerEnd = chunk.indexOf('\r\n\r\n');
    let sepLength = 4;
    if (headerEnd < 0) {
      headerEnd = chunk.indexOf('\n\n');
      sepLength = 2;
    }
    if (headerEnd < 0) return undefined;
    const headers: Record<string, string> = {};
    for (const line of chunk.subarray(0, headerEnd).toString('utf8').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: chunk.subarray(headerEnd + sepLength) });
    pos = next;
  }
}

export const sha256Hex = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** A multipart/mixed body: a JSON part then one part per attachment. */
export function buildMultipart(
  json: unknown,
  attachments: Array<{ sha2: string; contentType: string; content: Buffer }>,
) {
  const boundary = `xapi-${crypto.randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n`),
  ];
  for (const a of attachments) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`,
      ),
      a.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
