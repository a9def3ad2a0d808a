// Attachment rules for a POST/PUT (Data 2.4.11, Communication 1.5.2): every attachment without a
// fileUrl has its bytes in a part; every part belongs to an attachment; hashes match the bytes;
// a signature attachment is a JWS whose payload is the statement it signs.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { isPlainObject } from './xapi.formats.js';
import { sameStatement } from './xapi.equivalence.js';
import { sha256Hex, type Part } from './xapi.multipart.js';
import type { Json, ValidationIssue } from './xapi.validate.js';

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

export type AttachmentBytes = { sha2: string; contentType: string; content: Buffer };

export function checkAttachments(
  statements: Json[],
  parts: Part[],
): { issues: ValidationIssue[]; bytes: AttachmentBytes[] } {
  const issues: ValidationIssue[] = [];
  const byHash = new Map<string, Part>();
  parts.forEach((p, i) => {
    const hash = p.headers['x-experience-api-hash']?.toLowerCase();
    if (!hash)
      return issues.push({
        path: `part[${i + 1}]`,
        rule: 'Communication 1.5.2',
        message: 'X-Experience-API-Hash header is required',
      });
    if (p.headers['content-transfer-encoding']?.toLowerCase() !== 'binary')
      issues.push({
        path: `part[${i + 1}]`,
        rule: 'Communication 1.5.2',
        message: 'Content-Transfer-Encoding: binary is required',
      });
    if (hash.length === 64 && sha256Hex(p.body) !== hash)
      issues.push({
        path: `part[${i + 1}]`,
        rule: 'Data 2.4.11',
        message: 'the part does not match its SHA-256 hash',
      });
    byHash.set(hash, p);
  });
  const used = new Set<string>();
  const bytes: AttachmentBytes[] = [];
  statements.forEach((s, i) => {
    const list = Array.isArray(s.attachments) ? s.attachments : [];
    list.forEach((a: unknown, j) => {
      if (!isPlainObject(a) || typeof a.sha2 !== 'string') return;
      const sha2 = a.sha2.toLowerCase();
      const part = byHash.get(sha2);
      const path = `$[${i}].attachments[${j}]`;
      if (!part) {
        if (a.fileUrl === undefined)
          issues.push({
            path,
            rule: 'Communication 1.5.2',
            message: 'no part carries this attachment and it has no fileUrl',
          });
        return;
      }
      used.add(sha2);
      if (!bytes.some((b) => b.sha2 === sha2))
        bytes.push({
          sha2,
          contentType: String(part.headers['content-type'] ?? a.contentType),
          content: part.body,
        });
      if (a.usageType === SIGNATURE_USAGE) {
        const problem = signatureProblem(s, part.body.toString('utf8'));
        if (problem) issues.push({ path, rule: 'Data 2.6 (signed statements)', message: problem });
      }
    });
  });
  for (const hash of byHash.keys())
    if (!used.has(hash))
      issues.push({
        path: `part ${hash}`,
        rule: 'Communication 1.5.2',
        message: 'a part matches no attachment of the statements',
      });
  return { issues, bytes };
}

function signatureProblem(statement: Json, jws: string): string | undefined {
  try {
    const header = decodeProtectedHeader(jws);
    if (!['RS256', 'RS384', 'RS512'].includes(String(header.alg)))
      return 'the JWS must use RS256, RS384 or RS512';
    const payload = decodeJwt(jws) as Json;
    if (!sameStatement(payload, statement)) return 'the JWS payload is not the statement it is attached to';
    return undefined;
  } catch {
    return 'the signature is not a JWS in compact serialization';
  }
}
