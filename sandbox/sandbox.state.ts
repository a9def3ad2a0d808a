// The sandbox's mutable state, shared by its API routes and its admin routes.
import type { CatalogueStore } from './sandbox.store.js';
import type { FaultBox } from './sandbox.faults.js';

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
};

export function resetStats(state: SandboxState): void {
  state.stats.token = 0;
  state.stats.content = 0;
  state.stats.statuses = {};
}
