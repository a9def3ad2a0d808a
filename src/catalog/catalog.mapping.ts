// The seed's course field table as one pure function: a vendor item (`unknown`) in, a mapped course
// and its content hash out, or a rejection with a machine code and a reason (Nango-style: expected
// failures are values). Non-fatal problems (a dropped image, an unknown language among several)
// come back as warnings so that the run report shows them.
import { sha256 } from '../secrets.js';
import { parseDuration } from './catalog.duration.js';
import { sanitizeDescription } from './catalog.html.js';
import { mapLanguages, type PlatformLanguage } from './catalog.languages.js';
import { toContentType, type ContentType } from './catalog.content-types.js';

export type MappedCourse = {
  externalId: string;
  name: string;
  description: string | null;
  image: string | null;
  durationMinutes: number | null;
  author: string | null;
  lang: PlatformLanguage;
  otherLangs: PlatformLanguage[];
  launchUrl: string;
  modifiedAt: string;
  subjects: string[];
  contentType: ContentType;
  /** The vendor's own type value, kept when it did not map to a platform content type. */
  sourceType: string;
  xapiActivityId: string | null;
  /** False means archived (reason 'inactive'). Not part of the content hash. */
  active: boolean;
};

export type MapIssue = { code: string; message: string };

export type RejectCode =
  | 'invalid_item'
  | 'missing_field'
  | 'invalid_id'
  | 'invalid_title'
  | 'no_mappable_language'
  | 'invalid_launch_url'
  | 'invalid_date_updated'
  | 'invalid_active'
  | 'invalid_type';

export type MapResult =
  | { ok: true; course: MappedCourse; hash: string; warnings: MapIssue[] }
  | { ok: false; externalId?: string; code: RejectCode; reason: string };

export const MANDATORY_FIELDS = [
  'id',
  'title',
  'languages',
  'quickLaunchUrl',
  'dateUpdated',
  'active',
  'type',
];
const MAX_ID_LENGTH = 50;

const isMissing = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0);

const text = (v: unknown): string | null => {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
};

function httpUrl(v: unknown, protocols: readonly string[]): string | null {
  const t = text(v);
  if (!t) return null;
  try {
    const url = new URL(t);
    return protocols.includes(url.protocol) ? url.toString() : null;
  } catch {
    return null;
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Launch URLs must be https. The one exception is plain http on a loopback host: the sandbox that
 * runs beside the service on this machine (no learner's browser elsewhere can reach it anyway).
 */
function launchUrl(v: unknown): string | null {
  const url = httpUrl(v, ['https:', 'http:']);
  if (!url) return null;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' || LOOPBACK.has(parsed.hostname) ? url : null;
}

/** `true/false`, `1/0`, and their string forms (any case, "yes"/"no" too); anything else is undefined. */
export function parseActive(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'active'].includes(t)) return true;
  if (['false', '0', 'no', 'n', 'inactive'].includes(t)) return false;
  return undefined;
}

/** ISO 8601 date or date-time, normalised to UTC ("2024-05-01T10:00:00.000Z"). */
export function parseIsoDate(v: unknown): string | null {
  const t = text(v);
  if (!t || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t))
    return null;
  const d = new Date(t.length === 10 ? `${t}T00:00:00Z` : t.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * Categories are paths such as "|Compliance|Harassment Prevention". Subjects keep every segment
 * (deduplicated, first spelling wins) so that a search for the parent finds the course too.
 */
export function parseSubjects(v: unknown): string[] {
  const paths = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  const seen = new Set<string>();
  const subjects: string[] = [];
  for (const p of paths) {
    if (typeof p !== 'string') continue;
    for (const segment of p.split('|')) {
      const s = segment.trim().slice(0, 255);
      if (s && !seen.has(s.toLowerCase())) {
        seen.add(s.toLowerCase());
        subjects.push(s);
      }
    }
  }
  return subjects;
}

/** sha256 of the mapped fields in a fixed order (activity state excluded: it is compared apart). */
export function contentHash(c: MappedCourse): string {
  // An explicit list, not Object.keys: the order is part of the hash and must never drift.
  const canonical = [
    c.externalId,
    c.name,
    c.description,
    c.image,
    c.durationMinutes,
    c.author,
    c.lang,
    c.otherLangs,
    c.launchUrl,
    c.modifiedAt,
    c.subjects,
    c.contentType,
    c.sourceType,
    c.xapiActivityId,
  ];
  return sha256(JSON.stringify(canonical));
}

/**
 * Bump when a mapping rule changes: every stored course is then re-mapped once on the next sync
 * (the source hash below no longer matches), instead of keeping what the old rules made of it.
 */
export const MAPPING_VERSION = 1;

/** Fingerprint of the vendor item as received, tied to the mapping version. */
export function sourceHash(item: unknown): string {
  return sha256(`${MAPPING_VERSION}:${JSON.stringify(item)}`);
}

/** The external id a vendor item claims, before any validation (for look-ups only). */
export function rawExternalId(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  return text((item as { id?: unknown }).id) ?? undefined;
}

export function mapCourse(item: unknown): MapResult {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return { ok: false, code: 'invalid_item', reason: 'item is not an object' };
  const raw = item as Record<string, unknown>;
  const idText = text(raw.id);
  const reject = (code: RejectCode, reason: string): MapResult =>
    idText
      ? { ok: false, externalId: idText.slice(0, MAX_ID_LENGTH), code, reason }
      : { ok: false, code, reason };

  const missing = MANDATORY_FIELDS.filter((f) => isMissing(raw[f]));
  if (missing.length > 0) return reject('missing_field', `missing mandatory field(s): ${missing.join(', ')}`);
  if (!idText || idText.length > MAX_ID_LENGTH)
    return reject('invalid_id', `id must be a string of at most ${MAX_ID_LENGTH} characters`);
  const name = text(raw.title);
  if (!name) return reject('invalid_title', 'title must be a non-empty string');

  const warnings: MapIssue[] = [];
  const languageValues = (Array.isArray(raw.languages) ? raw.languages : [raw.languages]).filter(
    (l): l is string => typeof l === 'string',
  );
  const { codes, unmapped } = mapLanguages(languageValues);
  const [lang, ...otherLangs] = codes;
  if (!lang)
    return reject('no_mappable_language', `no platform language for ${JSON.stringify(raw.languages)}`);
  if (unmapped.length > 0)
    warnings.push({ code: 'language_unmapped', message: `languages dropped: ${unmapped.join(', ')}` });

  const launch = launchUrl(raw.quickLaunchUrl);
  if (!launch)
    return reject('invalid_launch_url', 'quickLaunchUrl must be an https URL (http only on a loopback host)');
  const modifiedAt = parseIsoDate(raw.dateUpdated);
  if (!modifiedAt) return reject('invalid_date_updated', 'dateUpdated must be an ISO 8601 date');
  const active = parseActive(raw.active);
  if (active === undefined)
    return reject('invalid_active', `active is not a boolean: ${JSON.stringify(raw.active)}`);
  const sourceType = text(raw.type);
  if (!sourceType) return reject('invalid_type', 'type must be a non-empty string');
  const contentType = toContentType(sourceType);
  if (!contentType.known)
    warnings.push({ code: 'content_type_unknown', message: `type "${sourceType}" mapped to "course"` });

  let image = httpUrl(raw.imageUrl, ['https:', 'http:']);
  if (!image && !isMissing(raw.imageUrl))
    warnings.push({ code: 'image_dropped', message: 'imageUrl is not an http(s) URL' });
  if (!image) {
    image = httpUrl(raw.thumbnailUrl, ['https:', 'http:']);
    if (!image && !isMissing(raw.thumbnailUrl))
      warnings.push({ code: 'image_dropped', message: 'thumbnailUrl is not an http(s) URL' });
  }

  const duration = parseDuration(raw.duration);
  if (!duration.ok)
    warnings.push({
      code: 'duration_dropped',
      message: `duration is not "HH:MM:SS": ${JSON.stringify(raw.duration)}`,
    });

  const course: MappedCourse = {
    externalId: idText,
    name,
    description: sanitizeDescription(raw.descriptionHtml),
    image,
    durationMinutes: duration.ok ? duration.minutes : null,
    author: text(raw.publisherName),
    lang,
    otherLangs,
    launchUrl: launch,
    modifiedAt,
    subjects: parseSubjects(raw.categories),
    contentType: contentType.type,
    sourceType,
    xapiActivityId: text(raw.xApiActivityId),
    active,
  };
  return { ok: true, course, hash: contentHash(course), warnings };
}
