import pino, { type Logger } from 'pino';

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
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
