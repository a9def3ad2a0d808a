// The SAML responder for START (the seam the launch service keeps, launch.responder.ts): for a
// synced course whose integration has an SP, the learner's browser gets an auto-submitting POST of
// a signed assertion to OpenSesame's ACS, with the launch URL as RelayState; the learner lands
// signed in on the course. Anything else (no SP, a platform course, an API call) keeps the plain
// redirect.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { getPrincipal } from '../platform/auth.plugin.js';
import { getCourseBrief } from '../search/search.scope.repository.js';
import { redirectResponder, type LaunchResponder } from '../launch/launch.responder.js';
import type { LaunchOutcome } from '../launch/launch.service.js';
import { getServiceProvider } from './sso.repository.js';
import { samlPostFor } from './sso.service.js';
import { sendSamlPostPage } from './sso.post-page.js';

/** Sends the browser on: SAML POST when the course's integration has an SP, else a redirect. */
export async function sendToCourse(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: LaunchOutcome,
): Promise<boolean> {
  const course = await getCourseBrief(ctx.db, outcome.courseId);
  const principal = await getPrincipal(request);
  if (!course?.integration_id || !principal) return false;
  if (!(await getServiceProvider(ctx.db, course.integration_id))) return false;
  const post = await samlPostFor(ctx, {
    integrationId: course.integration_id,
    subject: { email: principal.email, name: principal.name },
    relayState: outcome.redirect.url,
  });
  await sendSamlPostPage(ctx.config, reply, post, [outcome.redirect.url]);
  return true;
}

export const samlResponder: LaunchResponder = async (input) => {
  if (input.browser && (await sendToCourse(input.ctx, input.request, input.reply, input.outcome))) return;
  await redirectResponder(input);
};
