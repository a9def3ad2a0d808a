// Statement validation (xAPI 1.0.3 Data sections 2 and 4; xAPI 2.0 where it differs). Pure: it
// returns every problem found, each naming the requirement it breaks, so a sender can fix all at once.
import { isIsoDuration } from './xapi.duration.js';
import {
  isAbsoluteIri,
  isLanguageTag,
  isMailtoIri,
  isPlainObject,
  isTimestampWithZone,
  isUuid,
  COMPONENT_LISTS,
  INTERACTION_TYPES,
} from './xapi.formats.js';

export type XapiVersion = '1.0' | '2.0';
export type ValidationIssue = { path: string; rule: string; message: string };
export type Json = Record<string, unknown>;

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

class Checker {
  readonly issues: ValidationIssue[] = [];
  constructor(readonly version: XapiVersion) {}

  fail(path: string, rule: string, message: string): void {
    this.issues.push({ path, rule, message });
  }

  keys(v: Json, path: string, allowed: readonly string[], rule: string): void {
    for (const k of Object.keys(v))
      if (!allowed.includes(k)) this.fail(`${path}.${k}`, rule, `unknown property "${k}"`);
  }

  object(v: unknown, path: string, rule: string): v is Json {
    if (isPlainObject(v)) return true;
    this.fail(path, rule, 'must be an object');
    return false;
  }

  iri(v: unknown, path: string, rule: string): void {
    if (!isAbsoluteIri(v)) this.fail(path, rule, 'must be an absolute IRI');
  }

  string(v: unknown, path: string, rule: string): void {
    if (typeof v !== 'string') this.fail(path, rule, 'must be a string');
  }

  languageMap(v: unknown, path: string): void {
    if (!this.object(v, path, 'Data 4.2 (language map)')) return;
    for (const [tag, text] of Object.entries(v)) {
      if (!isLanguageTag(tag)) this.fail(`${path}.${tag}`, 'Data 4.2 (RFC 5646)', 'invalid language tag');
      if (typeof text !== 'string')
        this.fail(`${path}.${tag}`, 'Data 4.2 (language map)', 'must be a string');
    }
  }

  extensions(v: unknown, path: string): void {
    if (!this.object(v, path, 'Data 4.1 (extensions)')) return;
    for (const k of Object.keys(v))
      if (!isAbsoluteIri(k)) this.fail(`${path}.${k}`, 'Data 4.1', 'extension key must be an absolute IRI');
  }

  timestamp(v: unknown, path: string, rule: string): void {
    if (!isTimestampWithZone(v)) this.fail(path, rule, 'must be an ISO 8601 timestamp with a time zone');
  }

  /** Inverse functional identifiers present on an Agent or Group (Data 2.4.2.3). */
  ifis(v: Json, path: string): number {
    let count = 0;
    if (v.mbox !== undefined) {
      count++;
      if (!isMailtoIri(v.mbox)) this.fail(`${path}.mbox`, 'Data 2.4.2.3', 'mbox must be a mailto: IRI');
    }
    if (v.mbox_sha1sum !== undefined) {
      count++;
      if (typeof v.mbox_sha1sum !== 'string' || !/^[0-9a-f]{40}$/i.test(v.mbox_sha1sum))
        this.fail(`${path}.mbox_sha1sum`, 'Data 2.4.2.3', 'mbox_sha1sum must be 40 hex digits');
    }
    if (v.openid !== undefined) {
      count++;
      this.iri(v.openid, `${path}.openid`, 'Data 2.4.2.3');
    }
    if (v.account !== undefined) {
      count++;
      const a = v.account;
      if (this.object(a, `${path}.account`, 'Data 2.4.2.4')) {
        this.keys(a, `${path}.account`, ['homePage', 'name'], 'Data 2.4.2.4');
        this.iri(a.homePage, `${path}.account.homePage`, 'Data 2.4.2.4');
        this.string(a.name, `${path}.account.name`, 'Data 2.4.2.4');
      }
    }
    return count;
  }

  agent(v: unknown, path: string, requireObjectType = false): void {
    if (!this.object(v, path, 'Data 2.4.2.1')) return;
    this.keys(v, path, ['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account'], 'Data 2.4.2.1');
    if (requireObjectType ? v.objectType !== 'Agent' : v.objectType !== undefined && v.objectType !== 'Agent')
      this.fail(`${path}.objectType`, 'Data 2.4.2.1', 'objectType must be "Agent"');
    if (v.name !== undefined) this.string(v.name, `${path}.name`, 'Data 2.4.2.1');
    const n = this.ifis(v, path);
    if (n !== 1) this.fail(path, 'Data 2.4.2.1', `an Agent has exactly one IFI (found ${n})`);
  }

  group(v: Json, path: string): void {
    this.keys(
      v,
      path,
      ['objectType', 'name', 'member', 'mbox', 'mbox_sha1sum', 'openid', 'account'],
      'Data 2.4.2.2',
    );
    if (v.name !== undefined) this.string(v.name, `${path}.name`, 'Data 2.4.2.2');
    const n = this.ifis(v, path);
    if (n > 1) this.fail(path, 'Data 2.4.2.2', 'an identified Group has exactly one IFI');
    if (v.member !== undefined && !Array.isArray(v.member))
      this.fail(`${path}.member`, 'Data 2.4.2.2', 'member must be an array');
    const members = Array.isArray(v.member) ? v.member : [];
    if (n === 0 && members.length === 0)
      this.fail(path, 'Data 2.4.2.2', 'an anonymous Group must list its members');
    members.forEach((m, i) => {
      if (isPlainObject(m) && m.objectType === 'Group')
        this.fail(`${path}.member[${i}]`, 'Data 2.4.2.2', 'a Group member cannot be a Group');
      else this.agent(m, `${path}.member[${i}]`);
    });
  }

  actor(v: unknown, path: string, asObject = false): void {
    if (!this.object(v, path, 'Data 2.4.2')) return;
    if (v.objectType === 'Group') this.group(v, path);
    else this.agent(v, path, asObject);
  }

  verb(v: unknown, path: string): void {
    if (!this.object(v, path, 'Data 2.4.3')) return;
    this.keys(v, path, ['id', 'display'], 'Data 2.4.3');
    this.iri(v.id, `${path}.id`, 'Data 2.4.3');
    if (v.display !== undefined) this.languageMap(v.display, `${path}.display`);
  }

  activity(v: unknown, path: string): void {
    if (!this.object(v, path, 'Data 2.4.4.1')) return;
    this.keys(v, path, ['objectType', 'id', 'definition'], 'Data 2.4.4.1');
    if (v.objectType !== undefined && v.objectType !== 'Activity')
      this.fail(`${path}.objectType`, 'Data 2.4.4.1', 'objectType must be "Activity"');
    this.iri(v.id, `${path}.id`, 'Data 2.4.4.1');
    if (v.definition !== undefined) this.definition(v.definition, `${path}.definition`);
  }

  definition(v: unknown, path: string): void {
    if (!this.object(v, path, 'Data 2.4.4.1')) return;
    this.keys(
      v,
      path,
      [
        'name',
        'description',
        'type',
        'moreInfo',
        'extensions',
        'interactionType',
        'correctResponsesPattern',
        ...COMPONENT_LISTS,
      ],
      'Data 2.4.4.1',
    );
    if (v.name !== undefined) this.languageMap(v.name, `${path}.name`);
    if (v.description !== undefined) this.languageMap(v.description, `${path}.description`);
    if (v.type !== undefined) this.iri(v.type, `${path}.type`, 'Data 2.4.4.1');
    if (v.moreInfo !== undefined) this.iri(v.moreInfo, `${path}.moreInfo`, 'Data 2.4.4.1');
    if (v.extensions !== undefined) this.extensions(v.extensions, `${path}.extensions`);
    if (v.interactionType !== undefined && !INTERACTION_TYPES.has(String(v.interactionType)))
      this.fail(`${path}.interactionType`, 'Data 2.4.4.1.1', 'unknown interactionType');
    if (v.correctResponsesPattern !== undefined) {
      if (
        !Array.isArray(v.correctResponsesPattern) ||
        v.correctResponsesPattern.some((p) => typeof p !== 'string')
      )
        this.fail(`${path}.correctResponsesPattern`, 'Data 2.4.4.1.1', 'must be an array of strings');
    }
    for (const list of COMPONENT_LISTS) {
      const items = v[list];
      if (items === undefined) continue;
      if (v.interactionType === undefined)
        this.fail(`${path}.${list}`, 'Data 2.4.4.1.1', 'interaction components need an interactionType');
      if (!Array.isArray(items)) {
        this.fail(`${path}.${list}`, 'Data 2.4.4.1.1', 'must be an array');
        continue;
      }
      const ids = new Set<string>();
      items.forEach((c, i) => {
        const p = `${path}.${list}[${i}]`;
        if (!this.object(c, p, 'Data 2.4.4.1.1')) return;
        this.keys(c, p, ['id', 'description'], 'Data 2.4.4.1.1');
        if (typeof c.id !== 'string') this.fail(`${p}.id`, 'Data 2.4.4.1.1', 'id must be a string');
        else if (ids.has(c.id)) this.fail(`${p}.id`, 'Data 2.4.4.1.1', 'component ids must be unique');
        else ids.add(c.id);
        if (c.description !== undefined) this.languageMap(c.description, `${p}.description`);
      });
    }
  }

  statementRef(v: Json, path: string): void {
    this.keys(v, path, ['objectType', 'id'], 'Data 2.4.4.3');
    if (!isUuid(v.id)) this.fail(`${path}.id`, 'Data 2.4.4.3', 'StatementRef id must be a UUID');
  }

  object_(v: unknown, path: string, inSubStatement: boolean): void {
    if (!this.object(v, path, 'Data 2.4.4')) return;
    switch (v.objectType) {
      case undefined:
      case 'Activity':
        return this.activity(v, path);
      case 'Agent':
        return this.agent(v, path, true);
      case 'Group':
        return this.group(v, path);
      case 'StatementRef':
        return this.statementRef(v, path);
      case 'SubStatement':
        if (inSubStatement)
          return this.fail(path, 'Data 2.4.4.3', 'a SubStatement cannot contain a SubStatement');
        return this.subStatement(v, path);
      default:
        this.fail(`${path}.objectType`, 'Data 2.4.4', `unknown objectType ${JSON.stringify(v.objectType)}`);
    }
  }

  subStatement(v: Json, path: string): void {
    this.keys(
      v,
      path,
      ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'],
      'Data 2.4.4.3 (SubStatement)',
    );
    this.body(v, path, true);
  }

  result(v: unknown, path: string): void {
    if (!this.object(v, path, 'Data 2.4.5')) return;
    this.keys(
      v,
      path,
      ['score', 'success', 'completion', 'response', 'duration', 'extensions'],
      'Data 2.4.5',
    );
    if (v.success !== undefined && typeof v.success !== 'boolean')
      this.fail(`${path}.success`, 'Data 2.4.5', 'must be a boolean');
    if (v.completion !== undefined && typeof v.completion !== 'boolean')
      this.fail(`${path}.completion`, 'Data 2.4.5', 'must be a boolean');
    if (v.response !== undefined) this.string(v.response, `${path}.response`, 'Data 2.4.5');
    if (v.duration !== undefined && !(typeof v.duration === 'string' && isIsoDuration(v.duration)))
      this.fail(`${path}.duration`, 'Data 4.6', 'must be an ISO 8601 duration');
    if (v.extensions !== undefined) this.extensions(v.extensions, `${path}.extensions`);
    if (v.score !== undefined) this.score(v.score, `${path}.score`);
  }

  score(v: unknown, path: string): void {
    if (!this.object(v, path, 'Data 2.4.5.1')) return;
    this.keys(v, path, ['scaled', 'raw', 'min', 'max'], 'Data 2.4.5.1');
    for (const k of ['scaled', 'raw', 'min', 'max'] as const)
      if (v[k] !== undefined && (typeof v[k] !== 'number' || !Number.isFinite(v[k])))
        this.fail(`${path}.${k}`, 'Data 2.4.5.1', 'must be a number');
    const { scaled, raw, min, max } = v as Record<string, number | undefined>;
    if (typeof scaled === 'number' && (scaled < -1 || scaled > 1))
      this.fail(`${path}.scaled`, 'Data 2.4.5.1', 'scaled must be between -1 and 1');
    if (typeof min === 'number' && typeof max === 'number' && !(min < max))
      this.fail(`${path}.min`, 'Data 2.4.5.1', 'min must be less than max');
    if (typeof raw === 'number') {
      if (typeof min === 'number' && raw < min)
        this.fail(`${path}.raw`, 'Data 2.4.5.1', 'raw must not be below min');
      if (typeof max === 'number' && raw > max)
        this.fail(`${path}.raw`, 'Data 2.4.5.1', 'raw must not be above max');
    }
  }

  context(v: unknown, path: string, objectIsActivity: boolean): void {
    if (!this.object(v, path, 'Data 2.4.6')) return;
    const allowed = [
      'registration',
      'instructor',
      'team',
      'contextActivities',
      'revision',
      'platform',
      'language',
      'statement',
      'extensions',
    ];
    if (this.version === '2.0') allowed.push('contextAgents', 'contextGroups');
    this.keys(v, path, allowed, 'Data 2.4.6');
    if (v.registration !== undefined && !isUuid(v.registration))
      this.fail(`${path}.registration`, 'Data 2.4.6', 'registration must be a UUID');
    if (v.instructor !== undefined) this.actor(v.instructor, `${path}.instructor`);
    if (v.team !== undefined) {
      if (isPlainObject(v.team) && v.team.objectType === 'Group') this.group(v.team, `${path}.team`);
      else this.fail(`${path}.team`, 'Data 2.4.6', 'team must be a Group');
    }
    for (const k of ['revision', 'platform'] as const) {
      if (v[k] === undefined) continue;
      this.string(v[k], `${path}.${k}`, 'Data 2.4.6');
      if (!objectIsActivity)
        this.fail(`${path}.${k}`, 'Data 2.4.6', `${k} is only allowed when the object is an Activity`);
    }
    if (v.language !== undefined && !isLanguageTag(v.language))
      this.fail(`${path}.language`, 'Data 2.4.6 (RFC 5646)', 'invalid language tag');
    if (v.statement !== undefined) {
      if (isPlainObject(v.statement) && v.statement.objectType === 'StatementRef')
        this.statementRef(v.statement, `${path}.statement`);
      else this.fail(`${path}.statement`, 'Data 2.4.6', 'statement must be a StatementRef');
    }
    if (v.extensions !== undefined) this.extensions(v.extensions, `${path}.extensions`);
    if (v.contextActivities !== undefined) {
      const ca = v.contextActivities;
      if (this.object(ca, `${path}.contextActivities`, 'Data 2.4.6.2')) {
        this.keys(
          ca,
          `${path}.contextActivities`,
          ['parent', 'grouping', 'category', 'other'],
          'Data 2.4.6.2',
        );
        for (const [k, list] of Object.entries(ca)) {
          const items = Array.isArray(list) ? list : [list];
          items.forEach((a, i) => this.activity(a, `${path}.contextActivities.${k}[${i}]`));
        }
      }
    }
    this.contextActors(v.contextAgents, `${path}.contextAgents`, 'contextAgent', 'agent');
    this.contextActors(v.contextGroups, `${path}.contextGroups`, 'contextGroup', 'group');
  }

  contextActors(v: unknown, path: string, objectType: string, key: 'agent' | 'group'): void {
    if (v === undefined) return;
    if (!Array.isArray(v)) return this.fail(path, 'xAPI 2.0 Data 2.4.6', 'must be an array');
    v.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (!this.object(item, p, 'xAPI 2.0 Data 2.4.6')) return;
      this.keys(item, p, ['objectType', key, 'relevantTypes'], 'xAPI 2.0 Data 2.4.6');
      if (item.objectType !== objectType)
        this.fail(`${p}.objectType`, 'xAPI 2.0 Data 2.4.6', `objectType must be "${objectType}"`);
      if (key === 'agent') this.agent(item.agent, `${p}.agent`);
      else if (isPlainObject(item.group) && item.group.objectType === 'Group')
        this.group(item.group, `${p}.group`);
      else this.fail(`${p}.group`, 'xAPI 2.0 Data 2.4.6', 'must be a Group');
      if (item.relevantTypes !== undefined) {
        if (!Array.isArray(item.relevantTypes) || item.relevantTypes.length === 0)
          this.fail(`${p}.relevantTypes`, 'xAPI 2.0 Data 2.4.6', 'must be a non-empty array of IRIs');
        else
          item.relevantTypes.forEach((t, j) =>
            this.iri(t, `${p}.relevantTypes[${j}]`, 'xAPI 2.0 Data 2.4.6'),
          );
      }
    });
  }

  attachments(v: unknown, path: string): void {
    if (!Array.isArray(v)) return this.fail(path, 'Data 2.4.11', 'attachments must be an array');
    v.forEach((a, i) => {
      const p = `${path}[${i}]`;
      if (!this.object(a, p, 'Data 2.4.11')) return;
      this.keys(
        a,
        p,
        ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl'],
        'Data 2.4.11',
      );
      this.iri(a.usageType, `${p}.usageType`, 'Data 2.4.11');
      if (a.display === undefined) this.fail(`${p}.display`, 'Data 2.4.11', 'display is required');
      else this.languageMap(a.display, `${p}.display`);
      if (a.description !== undefined) this.languageMap(a.description, `${p}.description`);
      this.string(a.contentType, `${p}.contentType`, 'Data 2.4.11');
      if (!Number.isInteger(a.length) || (a.length as number) < 0)
        this.fail(`${p}.length`, 'Data 2.4.11', 'length must be a non-negative integer');
      if (typeof a.sha2 !== 'string' || !/^[0-9a-f]{56,128}$/i.test(a.sha2))
        this.fail(`${p}.sha2`, 'Data 2.4.11', 'sha2 must be a SHA-2 hex digest');
      if (a.fileUrl !== undefined) this.iri(a.fileUrl, `${p}.fileUrl`, 'Data 2.4.11');
    });
  }

  /** What a Statement and a SubStatement share. */
  body(v: Json, path: string, inSubStatement: boolean): void {
    if (v.actor === undefined) this.fail(`${path}.actor`, 'Data 2.4.2', 'actor is required');
    else this.actor(v.actor, `${path}.actor`);
    if (v.verb === undefined) this.fail(`${path}.verb`, 'Data 2.4.3', 'verb is required');
    else this.verb(v.verb, `${path}.verb`);
    if (v.object === undefined) this.fail(`${path}.object`, 'Data 2.4.4', 'object is required');
    else this.object_(v.object, `${path}.object`, inSubStatement);
    if (v.result !== undefined) this.result(v.result, `${path}.result`);
    const obj = v.object;
    const objectIsActivity =
      isPlainObject(obj) && (obj.objectType === undefined || obj.objectType === 'Activity');
    if (v.context !== undefined) this.context(v.context, `${path}.context`, objectIsActivity);
    if (v.timestamp !== undefined) this.timestamp(v.timestamp, `${path}.timestamp`, 'Data 2.4.7');
    if (v.attachments !== undefined) this.attachments(v.attachments, `${path}.attachments`);
    const verbId = isPlainObject(v.verb) ? v.verb.id : undefined;
    if (
      verbId === VOIDED_VERB &&
      !inSubStatement &&
      !(isPlainObject(obj) && obj.objectType === 'StatementRef')
    )
      this.fail(
        `${path}.object`,
        'Data 2.3.2 (voiding)',
        'a voiding statement must have a StatementRef object',
      );
  }
}

/** Problems in one statement as received (before the LRS adds id, stored, authority). */
export function validateStatement(v: unknown, version: XapiVersion, path = '$'): ValidationIssue[] {
  const c = new Checker(version);
  if (!c.object(v, path, 'Data 2.2')) return c.issues;
  c.keys(
    v,
    path,
    [
      'id',
      'actor',
      'verb',
      'object',
      'result',
      'context',
      'timestamp',
      'stored',
      'authority',
      'version',
      'attachments',
    ],
    'Data 2.2',
  );
  if (v.id !== undefined && !isUuid(v.id)) c.fail(`${path}.id`, 'Data 2.4.1', 'id must be a UUID');
  if (v.stored !== undefined) c.timestamp(v.stored, `${path}.stored`, 'Data 2.4.8');
  if (v.authority !== undefined) c.actor(v.authority, `${path}.authority`);
  if (
    v.version !== undefined &&
    !(typeof v.version === 'string' && /^(1\.0(\.\d+)?|2\.0(\.\d+)?)$/.test(v.version))
  )
    c.fail(`${path}.version`, 'Data 2.4.10', 'version must be 1.0.x or 2.0.x');
  c.body(v, path, false);
  return c.issues;
}
