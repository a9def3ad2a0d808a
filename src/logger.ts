import pino, { type Logger } from 'pino';
import type { FastifyBaseLogger } from 'fastify';

// Anything that can carry a secret is redacted wherever it appears in a log object.
export const REDACT_PATHS = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'customerIntegrationId',
  'token',
  'accessToken',
  'access_token',
  'authorization',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.customerIntegrationId',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'sesame-bridge' },
  };
  if (destination) return pino(options, destination);
  // People reading a terminal get readable lines; services and pipes keep JSON for log shippers.
  if (process.stdout.isTTY)
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' },
      },
    });
  return pino(options);
}

/**
 * Fastify's `childLoggerFactory`: the per-request child logger is made when first used. Fastify
 * makes one for every request, and with redaction on, making it cost more than a whole cheap
 * request spends elsewhere, while most requests log nothing.
 */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: pino.Bindings,
  options: pino.ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChild(() => logger.child(bindings, options)) as unknown as FastifyBaseLogger;
}

type LogArgs = [obj: unknown, msg?: string, ...args: unknown[]];

class LazyChild {
  #real: FastifyBaseLogger | undefined;
  readonly #make: () => FastifyBaseLogger;
  constructor(make: () => FastifyBaseLogger) {
    this.#make = make;
  }
  get real(): FastifyBaseLogger {
    return (this.#real ??= this.#make());
  }
  get level(): string {
    return this.real.level;
  }
  set level(level: string) {
    this.real.level = level;
  }
  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
  fatal(...a: LogArgs): void {
    this.real.fatal(...a);
  }
  error(...a: LogArgs): void {
    this.real.error(...a);
  }
  warn(...a: LogArgs): void {
    this.real.warn(...a);
  }
  info(...a: LogArgs): void {
    this.real.info(...a);
  }
  debug(...a: LogArgs): void {
    this.real.debug(...a);
  }
  trace(...a: LogArgs): void {
    this.real.trace(...a);
  }
  silent(): void {}
}

export type { Logger };
