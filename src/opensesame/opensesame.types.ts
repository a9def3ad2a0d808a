// The contract between the OpenSesame client and everything that uses it (sync, activation checks).

/** What it takes to talk to one customer's OpenSesame (secrets already unsealed). */
export type OpenSesameConnection = {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly customerIntegrationId: string;
};

export type CataloguePage = {
  /** 1-based page number as requested or followed. */
  readonly page: number;
  /** Vendor items as received: `unknown` until the mapping parses them. */
  readonly items: readonly unknown[];
};

/** Which step failed, so an admin reads "token request refused", not a stack trace. */
export type OpenSesameStep = 'token' | 'list';

export type OpenSesameErrorCode =
  | 'invalid_credentials' // token endpoint said 401/invalid_client
  | 'invalid_customer_integration_id' // listing refused with 400/403/404 for the CIID
  | 'retries_exhausted'
  | 'timeout'
  | 'bad_response' // not JSON, cut short, wrong shape
  | 'paging_loop' // `next` repeated a URL, or the page cap was hit
  | 'network'
  | 'http_error';

export class OpenSesameError extends Error {
  constructor(
    readonly step: OpenSesameStep,
    readonly code: OpenSesameErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OpenSesameError';
  }
}

export type VerifyResult =
  | { ok: true }
  | {
      ok: false;
      field: 'credentials' | 'customerIntegrationId' | 'connection';
      code: OpenSesameErrorCode;
      message: string;
    };

export interface OpenSesameClient {
  /** Pages of the whole catalogue in order; throws OpenSesameError once retries run out. */
  listCatalogue(options?: { signal?: AbortSignal }): AsyncIterable<CataloguePage>;
  /** Checks the client credentials, then the CIID, and says which one is wrong. */
  verify(): Promise<VerifyResult>;
}

export type OpenSesameClientFactory = (connection: OpenSesameConnection) => OpenSesameClient;
