// Vendor languages (names such as "Brazilian Portuguese" or BCP 47 tags such as "pt-BR", "zh-Hant")
// mapped to the platform's 79 language codes. Intl does the work (canonical tags, deprecated codes
// like "iw"/"in"/"tl", likely scripts, display names); only the few codes that Intl cannot derive
// are spelled out.

/** The platform's language codes, as 360Learning lists them (specs/360learning-platform.md). */
export const PLATFORM_LANGUAGES = [
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'es',
  'fi',
  'fr',
  'hr',
  'ht_HT',
  'hu',
  'id',
  'it',
  'ja',
  'kar_MM',
  'ko',
  'lt',
  'mh_MH',
  'nl',
  'nl_BE',
  'no',
  'pl',
  'pt',
  'ro',
  'ru',
  'rw_RW',
  'sk',
  'sl',
  'so_SO',
  'sv',
  'sw_KE',
  'th',
  'ti_ET',
  'tr',
  'uk',
  'zh',
  'am_ET',
  'bn',
  'bs',
  'ca',
  'cy',
  'en_CA',
  'en_GB',
  'es_AR',
  'es_MX',
  'et',
  'fr_CA',
  'gu',
  'he_IL',
  'hy',
  'kk',
  'km',
  'lo',
  'lv',
  'mi',
  'mn_MN',
  'mr',
  'ms',
  'my_MM',
  'nn_NO',
  'or',
  'pa',
  'pt_BR',
  'pt_MZ',
  'rn_BI',
  'si',
  'ta',
  'te',
  'tl_PH',
  'ur',
  'uz',
  'yo_NG',
  'zh_tw',
  'hi',
  'sr',
  'ar',
  'vi',
  'zh_HANT',
] as const;
export type PlatformLanguage = (typeof PLATFORM_LANGUAGES)[number];

const CODES = new Set<string>(PLATFORM_LANGUAGES);
// Lower-cased "lang_REGION" / "lang" → platform code, for case-insensitive lookups.
const BY_LOWER = new Map<string, PlatformLanguage>(PLATFORM_LANGUAGES.map((c) => [c.toLowerCase(), c]));
// Languages the platform only knows with a region (he_IL, sw_KE…): the bare language maps there.
const BY_BASE = new Map<string, PlatformLanguage>();
for (const code of PLATFORM_LANGUAGES) {
  const base = code.split('_')[0]!;
  if (!CODES.has(base) && !BY_BASE.has(base)) BY_BASE.set(base, code);
}
// Where the platform's code is not what Intl canonicalises to.
const LANGUAGE_ALIASES: Record<string, string> = { nb: 'no', fil: 'tl' };
// Names Intl has no display name for.
const NAME_ALIASES: Record<string, string> = { karen: 'kar-MM', 'sgaw karen': 'kar-MM', tagalog: 'tl-PH' };

/** The BCP 47 tag Intl understands for a platform code ("zh_tw" → "zh-TW", "zh_HANT" → "zh-Hant"). */
function tagOf(code: PlatformLanguage): string {
  const [lang, sub] = code.split('_');
  if (!sub) return lang!;
  return sub.length === 4 ? `${lang}-${sub[0]}${sub.slice(1).toLowerCase()}` : `${lang}-${sub.toUpperCase()}`;
}

let namesToTags: Map<string, string> | undefined;
/** English names ("Brazilian Portuguese", "Portuguese (Brazil)") and autonyms ("Deutsch") → tags. */
function nameIndex(): Map<string, string> {
  if (namesToTags) return namesToTags;
  const index = new Map<string, string>();
  const add = (name: string | undefined, tag: string) => {
    const key = name?.trim().toLowerCase();
    if (key && !index.has(key)) index.set(key, tag);
  };
  const dialect = new Intl.DisplayNames('en', { type: 'language' });
  const standard = new Intl.DisplayNames('en', { type: 'language', languageDisplay: 'standard' });
  // Bare languages first so that "Spanish" means es, not es_AR.
  const tags = PLATFORM_LANGUAGES.map(tagOf).sort((a, b) => a.length - b.length);
  for (const tag of tags) {
    add(dialect.of(tag), tag);
    add(standard.of(tag), tag);
    // "Hebrew" for he_IL: the bare language names the platform's only variant of it.
    const base = tag.split('-')[0]!;
    add(dialect.of(base), tag);
    try {
      add(new Intl.DisplayNames(tag, { type: 'language' }).of(tag), tag);
    } catch {
      // No locale data for this language: English names only.
    }
  }
  for (const [from, to] of Object.entries(LANGUAGE_ALIASES)) add(dialect.of(from), to);
  for (const [name, tag] of Object.entries(NAME_ALIASES)) add(name, tag);
  namesToTags = index;
  return index;
}

function parseTag(value: string): Intl.Locale | undefined {
  // Accept "pt_BR" (the platform's own spelling) as well as "pt-BR".
  const candidate = value.trim().replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(candidate)) return undefined;
  try {
    return new Intl.Locale(candidate);
  } catch {
    return undefined;
  }
}

function fromLocale(locale: Intl.Locale): PlatformLanguage | undefined {
  const lang = LANGUAGE_ALIASES[locale.language] ?? locale.language;
  const region = locale.region;
  if (region) {
    const exact = BY_LOWER.get(`${lang}_${region.toLowerCase()}`);
    if (exact) return exact;
  }
  if (lang === 'zh') {
    // Traditional script (zh-Hant, zh-HK, zh-MO) is its own platform language, as is Taiwan's.
    const script = locale.script ?? locale.maximize().script;
    if (script === 'Hant') return 'zh_HANT';
    return 'zh';
  }
  return BY_LOWER.get(lang) ?? BY_BASE.get(lang);
}

// The vendor's vocabulary is small and repeats on every course: remember answers (bounded).
const memo = new Map<string, PlatformLanguage | null>();

/** One vendor language to a platform code, or undefined when the platform has no such language. */
export function toPlatformLanguage(value: string): PlatformLanguage | undefined {
  const known = memo.get(value);
  if (known !== undefined) return known ?? undefined;
  const code = resolve(value);
  if (memo.size < 10_000) memo.set(value, code ?? null);
  return code;
}

function resolve(value: string): PlatformLanguage | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  const exact = BY_LOWER.get(trimmed.toLowerCase());
  if (exact) return exact;
  const byName = nameIndex().get(trimmed.toLowerCase());
  if (byName) return fromLocale(new Intl.Locale(byName));
  const locale = parseTag(trimmed);
  if (locale) return fromLocale(locale);
  // "German (Austria)": no such platform language, but its base language is one.
  const base = /^(.+?)\s*\(.*\)$/.exec(trimmed)?.[1];
  return base ? resolve(base) : undefined;
}

export type LanguagesResult = { codes: PlatformLanguage[]; unmapped: string[] };

/** Every vendor language mapped, order kept (the first is the course's language), duplicates dropped. */
export function mapLanguages(values: readonly string[]): LanguagesResult {
  const codes: PlatformLanguage[] = [];
  const unmapped: string[] = [];
  for (const value of values) {
    const code = toPlatformLanguage(value);
    if (!code) unmapped.push(value);
    else if (!codes.includes(code)) codes.push(code);
  }
  return { codes, unmapped };
}
