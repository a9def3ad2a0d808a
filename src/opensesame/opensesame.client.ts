// PLACEHOLDER until the OpenSesame client lands (issue 2): replaced whole by its implementation.
import type { Logger } from '../logger.js';
import type { OpenSesameClient, OpenSesameConnection } from './opensesame.types.js';

export function createOpenSesameClient(
  _connection: OpenSesameConnection,
  _options: { log: Logger },
): OpenSesameClient {
  throw new Error('OpenSesame client pending');
}
