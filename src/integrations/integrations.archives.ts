// Confirm or reject the archives the mass-archive brake held back (the sync engine's functions,
// which take the integration's lease), answered with the integration's status afterwards.
import type { AppContext } from '../context.js';
import { Conflict, NotFound } from '../errors.js';
import { confirmHeldArchives, rejectHeldArchives } from '../catalog/catalog.holds.js';
import { getIntegrationByGroup, listHeldCourses } from './integrations.repository.js';
import { showIntegration } from './integrations.service.js';
import type { IntegrationView } from './integrations.mapping.js';

async function heldIntegration(ctx: AppContext, groupId: string): Promise<string> {
  const row = await getIntegrationByGroup(ctx.db, groupId);
  if (!row) throw NotFound('integration_not_found', `Group ${groupId} has no OpenSesame integration.`);
  const held = await listHeldCourses(ctx.db, row.id);
  if (row.archive_hold_run_id === null && held.length === 0)
    throw Conflict('no_held_archives', 'No archives are held for this integration.');
  return row.id;
}

export async function confirmArchives(ctx: AppContext, groupId: string): Promise<IntegrationView> {
  await confirmHeldArchives(ctx, await heldIntegration(ctx, groupId));
  return showIntegration(ctx, groupId);
}

export async function rejectArchives(ctx: AppContext, groupId: string): Promise<IntegrationView> {
  await rejectHeldArchives(ctx, await heldIntegration(ctx, groupId));
  return showIntegration(ctx, groupId);
}
