// The sandbox's generated catalogue: pure and deterministic. Item `index` of a catalogue is made
// from (seed, index) alone, so any page of a 100,000-course catalogue costs only its own items and
// the same seed always gives the same courses. The variety mirrors what the spec says the real feed
// may hold (names or BCP 47 tags, boolean-ish `active`, optional fields missing, a few bad items).

export type SandboxItem = Record<string, unknown>;

export type CatalogueShape = {
  readonly seed: number;
  /** Base of the launch links: the sandbox's own URL, so that links reach its player. */
  readonly launchBaseUrl: string;
};

// Names and tags both appear: the spec does not know which vocabulary OpenSesame uses.
const LANGUAGES = [
  'English',
  'en-US',
  'en-GB',
  'French',
  'fr-FR',
  'fr-CA',
  'Spanish',
  'es-ES',
  'es-419',
  'German',
  'de-DE',
  'Portuguese',
  'pt-BR',
  'Italian',
  'it-IT',
  'Japanese',
  'ja-JP',
  'Chinese (Simplified)',
  'zh-CN',
  'zh-Hant',
  'Dutch',
  'nl-NL',
  'Korean',
  'ko-KR',
  'Polish',
  'pl-PL',
  'Arabic',
  'ar',
] as const;

const CATEGORIES = [
  '|Compliance|Harassment Prevention',
  '|Compliance|Data Privacy',
  '|Compliance|Anti-Bribery',
  '|Leadership|Coaching',
  '|Leadership|Change Management',
  '|Business Skills|Communication',
  '|Business Skills|Time Management',
  '|Technology|Cybersecurity',
  '|Technology|Microsoft Office|Excel',
  '|Technology|Cloud Computing',
  '|Health & Safety|OSHA',
  '|Health & Safety|Ergonomics',
  '|Human Resources|Diversity, Equity & Inclusion',
  '|Human Resources|Onboarding',
  '|Customer Service',
  '|Sales|Negotiation',
  '|Finance|Accounting Basics',
  '|Wellness|Stress Management',
] as const;

const PUBLISHERS = [
  'Skillsoft Press',
  'Mind Gym',
  'Vado',
  'BizLibrary',
  'Emtrain',
  'Learning Heroes',
  'Grovo Classic',
  'Cyber Academy',
  'Safety Media',
  'Compliance Wave',
  'Brightwave',
  'Ninja Learning',
  'Coursera Partners',
  'Traliant',
  'EdApp Studio',
  'Gnowbe',
  'Sprout Labs',
  'Blue Ocean Brain',
  'Kaplan Leadership',
  'Global Ethics Lab',
  'Excel Masters',
  'Harbor Health',
  'Sales Dojo',
  'Open Courseware Co',
  'Éditions Lumière',
];

const TOPICS = [
  'Harassment Prevention',
  'Data Privacy',
  'Phishing Awareness',
  'Giving Feedback',
  'Leading Remote Teams',
  'Excel Pivot Tables',
  'Fire Safety',
  'Negotiation Tactics',
  'Unconscious Bias',
  'Active Listening',
  'Time Management',
  'GDPR Essentials',
  'Customer Empathy',
  'Cloud Fundamentals',
  'Workplace Ergonomics',
  'Budgeting Basics',
  'Mindfulness at Work',
  'Anti-Bribery',
  'Onboarding New Hires',
  'Change Management',
];
const PREFIXES = ['Introduction to', 'Essentials of', 'Mastering', 'Advanced', 'A Practical Guide to', ''];
const SUFFIXES = ['', ' for Managers', ' for Employees', ' (2024 Edition)', ' — Micro-lesson', ': Scenarios'];

// One unknown type on purpose: the mapping must report it, not crash.
const TYPES = ['course', 'course', 'course', 'video', 'assessment', 'article', 'interactive', 'podcast'];

const DATE_BASE = Date.UTC(2023, 0, 1);
const DAY = 86_400_000;

/** A well-mixed 32-bit hash of two integers (murmur3 finaliser), so neighbouring items differ. */
export function hash32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b + 0x7f4a7c15) | 0, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: tiny, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, digits: number) =>
  (n >>> 0)
    .toString(16)
    .padStart(8, '0')
    .slice(8 - digits);

// The last 8 hex digits are the index xor a seed mask: unique within a catalogue and invertible,
// so an admin edit can find the generated item from its id without any table.
function itemId(seed: number, index: number, next: () => number): string {
  const r = () => Math.floor(next() * 4294967296);
  const mask = hash32(seed, -1);
  return `${hex(r(), 8)}-${hex(r(), 4)}-4${hex(r(), 3)}-${hex((r() & 0x3fff) | 0x8000, 4)}-${hex(r(), 4)}${hex(index ^ mask, 8)}`;
}

/** The index of a generated item from its id, or undefined when the id is not one of ours. */
export function indexOfId(shape: CatalogueShape, id: string, size: number): number | undefined {
  const m = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{4}([0-9a-f]{8})$/.exec(id);
  if (!m?.[1]) return undefined;
  const index = (parseInt(m[1], 16) ^ hash32(shape.seed, -1)) >>> 0;
  if (index >= size) return undefined;
  return generateItem(shape, index).id === id ? index : undefined;
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const s = minutes % 7 === 0 ? 30 : 0;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function activeValue(next: () => number, active: boolean): unknown {
  const forms = active ? [true, 1, 'true', true] : [false, 0, 'false', false];
  return pick(next, forms);
}

function description(next: () => number, topic: string, title: string): { html: string; text: string } {
  const points = [
    'Recognise the risks',
    'Apply the right steps',
    'Know where to get help',
    'Practise with scenarios',
  ];
  const chosen = points.slice(0, 2 + Math.floor(next() * 3));
  let html = `<p>In <strong>${title}</strong> you will learn about <em>${topic.toLowerCase()}</em>.</p><ul>${chosen.map((p) => `<li>${p}</li>`).join('')}</ul>`;
  // A few hostile descriptions test the platform's sanitiser.
  const r = next();
  if (r < 0.02) html += '<script>alert("sandbox")</script>';
  else if (r < 0.04) html += '<p><a href="javascript:alert(1)" onclick="steal()">More</a></p>';
  else if (r < 0.1) html += '<p>See <a href="https://www.opensesame.com">OpenSesame</a> &amp; more.</p>';
  const text = `In ${title} you will learn about ${topic.toLowerCase()}. ${chosen.join('. ')}.`;
  return { html, text };
}

/** Item `index` (0-based) of the catalogue: the same (seed, index) always gives the same object. */
export function generateItem(shape: CatalogueShape, index: number): SandboxItem {
  const next = rng(hash32(shape.seed, index));
  const id = itemId(shape.seed, index, next);
  const topic = pick(next, TOPICS);
  const title = `${pick(next, PREFIXES)} ${topic}${pick(next, SUFFIXES)}`.trim();
  const desc = description(next, topic, title);
  const langCount = next() < 0.8 ? 1 : next() < 0.7 ? 2 : 3;
  const languages = next() < 0.55 ? ['English'] : [];
  while (languages.length < langCount) {
    const l = pick(next, LANGUAGES);
    if (!languages.includes(l)) languages.push(l);
  }
  const catCount = 1 + Math.floor(next() * 3);
  const categories: string[] = [];
  while (categories.length < catCount) {
    const c = pick(next, CATEGORIES);
    if (!categories.includes(c)) categories.push(c);
  }
  const updated = new Date(DATE_BASE + Math.floor(next() * 900 * DAY) + Math.floor(next() * DAY));
  const active = next() >= 0.08;
  const imageRoll = next();
  const item: SandboxItem = {
    id,
    title,
    descriptionHtml: desc.html,
    descriptionText: desc.text,
    duration: duration(3 + Math.floor(next() * 240)),
    languages,
    categories,
    publisherName: pick(next, PUBLISHERS),
    quickLaunchUrl: `${shape.launchBaseUrl}/player/${id}`,
    // Both ISO forms occur in the wild: with and without milliseconds.
    dateUpdated: next() < 0.5 ? updated.toISOString() : updated.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    active: activeValue(next, active),
    type: pick(next, TYPES),
  };
  if (imageRoll < 0.7) {
    item.imageUrl = `https://images.sandbox.opensesame.test/courses/${id}.jpg`;
    item.thumbnailUrl = `https://images.sandbox.opensesame.test/courses/${id}-thumb.jpg`;
  } else if (imageRoll < 0.85) {
    item.thumbnailUrl = `https://images.sandbox.opensesame.test/courses/${id}-thumb.jpg`;
  }
  if (next() < 0.8) item.xApiActivityId = `https://www.opensesame.com/xapi/activities/${id}`;
  if (next() < 0.3) {
    item.packageDownloadUrl = `${shape.launchBaseUrl}/packages/${id}.zip`;
    item.aiccLaunchUrl = `${shape.launchBaseUrl}/aicc/${id}`;
  }
  if (next() < 0.1) item.marketingTags = ['new', 'popular'].slice(0, 1 + Math.floor(next() * 2));
  if (next() < 0.1) delete item.duration;
  if (next() < 0.05) delete item.descriptionHtml;
  if (next() < 0.05) delete item.publisherName;
  // About 0.5 % are broken in one mandatory field: the sync must reject them one by one.
  if (next() < 0.005) breakItem(item, next);
  return item;
}

export const DEFECTS = [
  'no_title',
  'no_languages',
  'javascript_url',
  'no_type',
  'bad_date',
  'no_launch_url',
] as const;

function breakItem(item: SandboxItem, next: () => number): void {
  const defect = pick(next, DEFECTS);
  item.sandboxDefect = defect;
  if (defect === 'no_title') delete item.title;
  else if (defect === 'no_languages') item.languages = [];
  else if (defect === 'javascript_url') item.quickLaunchUrl = 'javascript:alert(document.cookie)';
  else if (defect === 'no_type') delete item.type;
  else if (defect === 'bad_date') item.dateUpdated = 'last tuesday';
  else delete item.quickLaunchUrl;
}

/** The whole generated catalogue at once: for tests and small sizes only. */
export function generateCatalogue(shape: CatalogueShape, size: number): SandboxItem[] {
  return Array.from({ length: size }, (_, i) => generateItem(shape, i));
}
