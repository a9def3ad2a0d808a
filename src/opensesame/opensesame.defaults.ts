// PLACEHOLDER until the sandbox lands (issue 2): replaced whole by its implementation.
import type { AppContext } from '../context.js';
import type { OpenSesameConnection } from './opensesame.types.js';

export async function resolveDefaultConnection(ctx: AppContext): Promise<OpenSesameConnection> {
  if (ctx.config.openSesame) return ctx.config.openSesame;
  throw new Error('embedded sandbox pending');
}
