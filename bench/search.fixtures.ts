// Catalogue and query set for the search benchmark: realistic course text from a seeded generator.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { AppContext } from '../src/context.js';
import type { SearchInput } from '../src/search/search.service.js';
import { refreshSearchAfterBulkWrites } from '../src/search/search.maintenance.js';

// Deterministic generator (mulberry32) so every run searches the same catalogue.
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const TOPICS = [
  'Excel',
  'Leadership',
  'Project Management',
  'Customer Service',
  'Cybersecurity',
  'Data Analysis',
  'Negotiation',
  'Time Management',
  'Workplace Safety',
  'Diversity and Inclusion',
  'Communication',
  'Python',
  'Agile',
  'Sales',
  'Compliance',
  'Harassment Prevention',
  'Coaching',
  'Public Speaking',
  'Accounting',
  'Marketing',
  'Conflict Resolution',
  'Emotional Intelligence',
  'First Aid',
  'GDPR',
  'Change Management',
];
const FORMS = [
  'Fundamentals of',
  'Advanced',
  'Introduction to',
  'Mastering',
  'Essentials:',
  'A Practical Guide to',
  'Everyday',
  'Modern',
  'Effective',
  'Building',
];
const TAILS = [
  'for Managers',
  'for New Hires',
  'in Practice',
  'Essentials',
  'for Teams',
  'Basics',
  'at Work',
  'Certification Prep',
  '',
  '',
  '',
];
// General filler words (about 300) plus words specific to each topic, so a word matches a realistic
// share of the catalogue rather than a third of it.
const FILLER = (
  'learn understand apply improve team skills workplace practical scenarios examples manager employee ' +
  'customer feedback goals strategy tools process quality risk policy report meeting planning decision clear ' +
  'confident effective measure results analysis presentation audience story trust culture respect ' +
  'course module lesson video quiz knowledge check interactive case study role play exercise summary review ' +
  'explore discover develop practice master build create design manage lead support guide coach mentor ' +
  'organization business company industry market product service project program initiative change growth ' +
  'performance productivity efficiency collaboration teamwork partnership relationship network community ' +
  'challenge opportunity problem solution approach method technique framework model principle concept idea ' +
  'skill ability competence expertise experience career job role responsibility task priority deadline ' +
  'workflow system platform application software hardware device network cloud mobile digital online remote ' +
  'hybrid office field site region global local international national regional cultural social personal ' +
  'professional technical creative critical analytical strategic operational tactical financial legal ethical ' +
  'regulatory environmental sustainable responsible accountable transparent inclusive diverse equitable fair ' +
  'safe secure healthy wellbeing resilience stress balance motivation engagement recognition reward incentive ' +
  'evaluation assessment appraisal review audit inspection investigation documentation record evidence data ' +
  'information insight trend pattern metric indicator target benchmark standard requirement specification ' +
  'guideline procedure instruction checklist template example scenario simulation demonstration walkthrough'
).split(' ');
const TOPIC_WORDS: Record<string, string[]> = {
  Excel: ['spreadsheet', 'formula', 'pivot', 'chart', 'vlookup', 'macro', 'workbook'],
  Leadership: ['vision', 'influence', 'delegation', 'inspire', 'executive'],
  'Project Management': ['scope', 'milestone', 'stakeholder', 'gantt', 'schedule', 'pmp'],
  'Customer Service': ['complaint', 'empathy', 'satisfaction', 'helpdesk', 'loyalty'],
  Cybersecurity: ['phishing', 'password', 'malware', 'ransomware', 'breach', 'encryption'],
  'Data Analysis': ['dataset', 'visualization', 'statistics', 'dashboard', 'regression'],
  Negotiation: ['bargaining', 'concession', 'agreement', 'leverage', 'deal'],
  'Time Management': ['calendar', 'procrastination', 'focus', 'habit', 'pomodoro'],
  'Workplace Safety': ['hazard', 'equipment', 'emergency', 'osha', 'injury', 'ppe'],
  'Diversity and Inclusion': ['bias', 'belonging', 'equity', 'allyship', 'microaggression'],
  Communication: ['listening', 'email', 'writing', 'clarity', 'assertive'],
  Python: ['pandas', 'script', 'function', 'loop', 'notebook', 'programming'],
  Agile: ['scrum', 'sprint', 'backlog', 'kanban', 'retrospective'],
  Sales: ['prospecting', 'pipeline', 'closing', 'quota', 'crm', 'objection'],
  Compliance: ['regulation', 'bribery', 'corruption', 'sanctions', 'whistleblowing'],
  'Harassment Prevention': ['harassment', 'bystander', 'misconduct', 'reporting'],
  Coaching: ['questioning', 'growth', 'potential', 'feedback'],
  'Public Speaking': ['speech', 'nerves', 'slides', 'storytelling', 'voice'],
  Accounting: ['ledger', 'balance', 'invoice', 'budget', 'forecast', 'audit'],
  Marketing: ['brand', 'campaign', 'seo', 'content', 'funnel', 'persona'],
  'Conflict Resolution': ['dispute', 'mediation', 'tension', 'compromise'],
  'Emotional Intelligence': ['empathy', 'selfawareness', 'emotions', 'regulation'],
  'First Aid': ['cpr', 'wound', 'bleeding', 'choking', 'defibrillator'],
  GDPR: ['privacy', 'consent', 'personal', 'processor', 'breach'],
  'Change Management': ['transition', 'adoption', 'resistance', 'transformation'],
};
const WORDS = FILLER;
'learn understand apply improve team skills workplace practical scenarios examples manager employee customer feedback goals strategy tools process quality risk policy report meeting planning decision clear confident effective measure results analysis spreadsheet formula chart email security password phishing incident response budget forecast presentation audience story trust culture inclusive bias respect safety hazard equipment emergency'.split(
  ' ',
);
const SUBJECTS = [
  'Leadership',
  'Business Skills',
  'Technology',
  'Compliance',
  'Health and Safety',
  'Sales',
  'Finance',
  'Marketing',
  'Human Resources',
  'Personal Development',
  'Communication',
  'Data',
  'Security',
  'Management',
  'Productivity',
];
const PUBLISHERS = [
  'Skillsoft',
  'Mind Tools',
  'Vado',
  'BizLibrary',
  'Compliance Wave',
  'Learnbase',
  'Sprout Labs',
  'Global Ed',
  'Coursewise',
  'Brightwork',
  'Zeno Learning',
  'Pyramid Media',
];
const LANGS = ['en', 'en', 'en', 'en', 'en', 'fr', 'fr', 'de', 'es', 'it', 'pt_BR', 'nl', 'ja'];
const TYPES = ['course', 'course', 'course', 'video', 'video', 'article', 'assessment', 'podcast'];

function sentence(n: number, topic?: string): string {
  const w: string[] = [];
  const own = topic ? (TOPIC_WORDS[topic] ?? []) : [];
  for (let i = 0; i < n; i++) w.push(own.length && rand() < 0.25 ? pick(own) : pick(WORDS));
  return w.join(' ');
}

function course(i: number, integrationId: string, now: string) {
  const topic = pick(TOPICS);
  const name = `${pick(FORMS)} ${topic} ${pick(TAILS)}`.trim();
  const description = `<p>${sentence(12, topic)} <strong>${topic.toLowerCase()}</strong> ${sentence(14, topic)}.</p><ul><li>${sentence(6, topic)}</li><li>${sentence(6)}</li></ul>`;
  const subjects = [...new Set([pick(SUBJECTS), pick(SUBJECTS)])].slice(0, 1 + Math.floor(rand() * 2));
  const author = pick(PUBLISHERS);
  const lang = pick(LANGS);
  const durationMinutes = 5 + Math.floor(rand() * 235);
  const contentType = pick(TYPES);
  const launchUrl = `https://opensesame.example.test/launch/${i}`;
  // What a sync stores beside the mapped columns: the vendor's item as received (catalog.repository
  // `contentColumns`), so rows are as wide as synced ones. Derived from the fields above only, so
  // the generated catalogue does not depend on it.
  const raw = JSON.stringify({
    id: `os-${i}`,
    title: name,
    descriptionHtml: description,
    descriptionText: description.replace(/<[^>]*>/g, ' '),
    duration: `PT${durationMinutes}M`,
    languages: [lang],
    categories: subjects,
    publisherName: author,
    quickLaunchUrl: launchUrl,
    imageUrl: `https://images.opensesame.example.test/courses/os-${i}.jpg`,
    thumbnailUrl: `https://images.opensesame.example.test/courses/os-${i}-thumb.jpg`,
    xApiActivityId: `https://www.opensesame.com/xapi/activities/os-${i}`,
    dateUpdated: now,
    active: true,
    type: contentType,
  });
  return {
    id: crypto.randomUUID(),
    integration_id: integrationId,
    source: 'opensesame',
    external_id: `os-${i}`,
    name,
    description,
    image: null,
    duration_minutes: durationMinutes,
    author,
    lang,
    other_langs: '[]',
    launch_url: launchUrl,
    modified_at: now,
    subjects: JSON.stringify(subjects),
    content_type: contentType,
    xapi_activity_id: null,
    archived: rand() < 0.03 ? 1 : 0,
    archived_at: null,
    archived_reason: null,
    content_hash: null,
    raw,
    local_tags: '[]',
    created_at: now,
    updated_at: now,
  } as const;
}

/** What a query exercises, for the bench's per-kind breakdown. */
export type QueryKind = 'word' | 'prefix' | 'words' | 'word+filter' | 'browse' | 'page' | 'none';

// A query's last word is a prefix unless the query ends with a space (search.text.ts), so every
// word below is matched as a prefix; `prefix` marks the broad ones (a partial word).
export const QUERIES: Array<SearchInput & { kind: QueryKind }> = [
  { kind: 'word', q: 'excel' },
  { kind: 'words', q: 'leadership skills' },
  { kind: 'words', q: 'project management for managers' },
  { kind: 'word', q: 'customer' },
  { kind: 'prefix', q: 'lead' },
  { kind: 'prefix', q: 'manag' },
  { kind: 'prefix', q: 'cyber sec' },
  { kind: 'prefix', q: 'data ana' },
  { kind: 'word', q: 'phishing' },
  { kind: 'word+filter', q: 'safety', lang: ['fr'] },
  { kind: 'word+filter', q: 'communication', subject: ['Leadership'] },
  { kind: 'word+filter', q: 'python', contentType: ['video'] },
  { kind: 'word+filter', q: 'negotiation', minDuration: 30, maxDuration: 60 },
  { kind: 'words', q: 'skillsoft compliance' },
  { kind: 'browse', lang: ['de'] },
  { kind: 'browse', subject: ['Security'], contentType: ['course'] },
  { kind: 'browse', minDuration: 60, maxDuration: 90, lang: ['en'] },
  { kind: 'page', q: 'team', page: 3 },
  { kind: 'browse' },
  { kind: 'none', q: 'xyzzy nothing' },
];

export async function seedSearchBench(
  ctx: AppContext,
  COURSES: number,
): Promise<{ learnerId: string; adminId: string }> {
  const db = ctx.db;
  const now = new Date().toISOString();
  const groupId = crypto.randomUUID();
  await db
    .insertInto('groups')
    .values({ id: groupId, name: 'Platform', parent_id: null, is_public: 1, created_at: now })
    .execute();
  const user = (admin: boolean) => ({
    id: crypto.randomUUID(),
    email: `${admin ? 'admin' : 'learner'}@bench.test`,
    email_normalized: `${admin ? 'admin' : 'learner'}@bench.test`,
    name: admin ? 'Admin' : 'Learner',
    password_hash: null,
    is_platform_admin: admin ? (1 as const) : (0 as const),
    created_at: now,
  });
  const learner = user(false);
  const admin = user(true);
  await db.insertInto('users').values([learner, admin]).execute();
  await db
    .insertInto('memberships')
    .values({ group_id: groupId, user_id: learner.id, role: 'learner', created_at: now })
    .execute();
  const integrationId = crypto.randomUUID();
  await db
    .insertInto('integrations')
    .values({
      id: integrationId,
      group_id: groupId,
      provider: 'opensesame',
      status: 'active',
      connector_admin_user_id: admin.id,
      api_url: 'https://api.example.test',
      token_url: 'https://api.example.test/token',
      client_id: 'x',
      client_secret_sealed: 'x',
      ciid_sealed: 'x',
      cron: '50 6 * * *',
      time_zone: 'Europe/Paris',
      mass_archive_threshold: 0.2,
      webhook_client_id: 'bench',
      webhook_secret_sealed: 'x',
      credentials_version: 1,
      previous_webhook_secret_sealed: null,
      previous_secret_valid_until: null,
      credentials_valid_until: null,
      archive_hold_run_id: null,
      last_scheduled_for: null,
      activated_at: now,
      deactivated_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const batch = ctx.engine === 'sqlite' ? 400 : 1000;
  const started = performance.now();
  for (let i = 0; i < COURSES; i += batch) {
    const rows: Array<ReturnType<typeof course>> = [];
    for (let j = i; j < Math.min(COURSES, i + batch); j++) rows.push(course(j, integrationId, now));
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('courses').values(rows).execute();
      await trx
        .insertInto('catalog_entries')
        .values(rows.map((r) => ({ group_id: groupId, course_id: r.id, added_by: null, added_at: now })))
        .execute();
    });
  }
  process.stderr.write(
    `[${ctx.engine}] inserted ${COURSES} courses in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  // What a sync does after writing courses (catalog.sync.ts), then statistics for every table.
  await refreshSearchAfterBulkWrites(ctx.db, ctx.engine);
  await sql`ANALYZE`.execute(ctx.db);
  return { learnerId: learner.id, adminId: admin.id };
}
