// The sandbox's mutable state, shared by its API routes and its admin routes.
import type { CatalogueStore } from './sandbox.store.js';
import type { FaultBox } from './sandbox.faults.js';
import type { SpConfig } from './sandbox.saml.js';
import type { Delivery, LmsConfig, Statement } from './sandbox.lms.js';

/** A learner signed in through SAML, and when each course was opened (for the statement's duration). */
export type PlayerSession = {
  readonly email: string;
  readonly name?: string | undefined;
  readonly customerIntegrationId: string;
  readonly expiresAt: number;
  readonly opened: Map<string, number>;
};

export type SandboxCustomer = {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly customerIntegrationId: string;
};

export type SandboxStats = {
  token: number;
  content: number;
  /** Answers by status code, e.g. { "200": 12, "429": 2 }. */
  statuses: Record<string, number>;
};

export type SandboxState = {
  readonly store: CatalogueStore;
  readonly faults: FaultBox;
  readonly customers: Map<string, SandboxCustomer>;
  readonly tokens: Map<string, { customer: SandboxCustomer; expiresAt: number }>;
  readonly stats: SandboxStats;
  readonly adminKey: string;
  readonly baseUrl: () => string;
  readonly now: () => Date;
  /** Per customer (by CIID): the SAML SP settings and the LMS to send statements to. */
  readonly saml: Map<string, SpConfig>;
  readonly lms: Map<string, LmsConfig>;
  readonly sessions: Map<string, PlayerSession>;
  /** Assertion ids already used, until they expire: a replayed assertion is refused. */
  readonly seenAssertions: Map<string, number>;
  readonly deliveries: Array<Delivery & { statement: Statement }>;
};

export function customerByCiid(state: SandboxState, ciid: string): SandboxCustomer | undefined {
  for (const c of state.customers.values()) if (c.customerIntegrationId === ciid) return c;
  return undefined;
}

export function resetStats(state: SandboxState): void {
  state.stats.token = 0;
  state.stats.content = 0;
  state.stats.statuses = {};
}

/** Catalogue, faults, tokens, sessions, counters back to the start; customer settings stay. */
export function resetState(state: SandboxState): void {
  state.store.reset();
  state.faults.reset();
  state.tokens.clear();
  state.sessions.clear();
  state.seenAssertions.clear();
  state.deliveries.length = 0;
  resetStats(state);
}
