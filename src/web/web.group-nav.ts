// The side navigation of a group's pages: only the links the caller's roles open.
import type { AppContext } from '../context.js';
import type { GroupGrant } from '../platform/guards.js';
import { can } from '../platform/roles.js';
import type { HtmlValue, SafeHtml } from './web.html.js';
import { groupSettings } from './web.layout.js';
import { GROUP_LINKS, type GroupPageKey } from './web.auth.pages.js';

export async function groupNav(
  _ctx: AppContext,
  grant: GroupGrant,
  current: GroupPageKey,
  body: HtmlValue,
): Promise<SafeHtml> {
  const subject = { isPlatformAdmin: grant.isPlatformAdmin, roles: grant.roles };
  const links = GROUP_LINKS.filter((l) => can(subject, l.action)).map((l) => ({
    key: l.key,
    label: l.label.replace('Settings → Integrations → ', ''),
    href: l.href(grant.group.id),
  }));
  return groupSettings(grant.group, current, links, body);
}
