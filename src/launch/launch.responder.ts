// The SAML seam. The launch service decides *whether* and *where*; a responder decides *how* the
// learner gets there. The default sends a plain redirect (GET and HTML form posts: 302/303 with
// Location) or JSON `{redirectUrl, attemptIds}` (API calls). The sso/ area replaces it with an
// IdP-initiated SAML POST to OpenSesame carrying the launch URL as RelayState, by registering the
// launch routes with its own responder: `app.register(launchRoutes, { responder: samlResponder })`.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { LaunchOutcome } from './launch.service.js';

export type LaunchResponder = (input: {
  ctx: AppContext;
  request: FastifyRequest;
  reply: FastifyReply;
  outcome: LaunchOutcome;
  /** True for GET and HTML form posts (a browser to redirect), false for JSON API calls. */
  browser: boolean;
}) => Promise<void>;

export const redirectResponder: LaunchResponder = async ({ reply, outcome, browser }) => {
  if (browser) {
    await reply.redirect(outcome.redirect.url, reply.request.method === 'GET' ? 302 : 303);
    return;
  }
  await reply.status(200).send({
    redirectUrl: outcome.redirect.url,
    attemptIds: outcome.attemptIds,
    ...(outcome.unlockedPosition !== undefined ? { unlockedPosition: outcome.unlockedPosition } : {}),
  });
};
