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

export type { Logger };
