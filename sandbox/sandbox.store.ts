// The sandbox's live catalogue: the generated items, plus a small overlay of admin changes (edits,
// removals, additions). Memory grows with the number of changes, never with the catalogue size.
import crypto from 'node:crypto';
import { generateItem, indexOfId, type CatalogueShape, type SandboxItem } from './sandbox.catalogue.js';

export type CatalogueStore = {
  /** Number of courses the listing shows. */
  size(): number;
  /** `limit` visible items from `offset` (0-based), generated ones first, then added ones. */
  slice(offset: number, limit: number): SandboxItem[];
  get(id: string): SandboxItem | undefined;
  /** Adds a course; fields not given are filled like a generated one. */
  add(fields: SandboxItem): SandboxItem;
  /** Patches fields and bumps `dateUpdated`; undefined when the id is unknown. */
  edit(id: string, patch: SandboxItem): SandboxItem | undefined;
  retire(id: string): SandboxItem | undefined;
  /** Takes the course out of the listing, as when a licence ends. */
  remove(id: string): boolean;
  /** Back to the generated catalogue. */
  reset(): void;
};

export function createCatalogueStore(
  shape: CatalogueShape,
  generatedSize: number,
  now: () => Date = () => new Date(),
): CatalogueStore {
  const patched = new Map<number, SandboxItem>();
  const removed = new Set<number>();
  let removedSorted: number[] = [];
  const added = new Map<string, SandboxItem>();
  let addedCount = 0;

  const generated = (index: number) => patched.get(index) ?? generateItem(shape, index);
  const bump = (previous: unknown): string => {
    // Strictly later than before, even when the clock has not moved, so a sync sees a change.
    const prev = typeof previous === 'string' ? Date.parse(previous) : NaN;
    const t = Math.max(now().getTime(), Number.isNaN(prev) ? 0 : prev + 1000);
    return new Date(t).toISOString();
  };
  const locate = (id: string) => {
    const index = indexOfId(shape, id, generatedSize);
    return index !== undefined && !removed.has(index) ? index : undefined;
  };

  return {
    size: () => generatedSize - removed.size + added.size,
    slice(offset, limit) {
      const out: SandboxItem[] = [];
      const visibleGenerated = generatedSize - removed.size;
      if (offset < visibleGenerated) {
        // The offset-th visible index: skip every removed index at or before it.
        let i = offset;
        for (const r of removedSorted) {
          if (r <= i) i++;
          else break;
        }
        for (; i < generatedSize && out.length < limit; i++) if (!removed.has(i)) out.push(generated(i));
      }
      if (out.length < limit) {
        const from = Math.max(0, offset - visibleGenerated);
        out.push(...[...added.values()].slice(from, from + limit - out.length));
      }
      return out;
    },
    get(id) {
      const index = locate(id);
      return index !== undefined ? generated(index) : added.get(id);
    },
    add(fields) {
      addedCount++;
      const id = typeof fields.id === 'string' && fields.id ? fields.id : crypto.randomUUID();
      if (locate(id) !== undefined || added.has(id)) throw new Error(`course ${id} already exists`);
      // Borrow realistic defaults from a generated item far beyond the catalogue.
      const template = generateItem(shape, 0x7fff0000 + addedCount);
      const item: SandboxItem = {
        ...template,
        quickLaunchUrl: `${shape.launchBaseUrl}/player/${id}`,
        active: true,
        ...fields,
        id,
        dateUpdated: typeof fields.dateUpdated === 'string' ? fields.dateUpdated : bump(undefined),
      };
      delete item.sandboxDefect;
      if (item.xApiActivityId) item.xApiActivityId = `https://www.opensesame.com/xapi/activities/${id}`;
      added.set(id, item);
      return item;
    },
    edit(id, patch) {
      const index = locate(id);
      const current = index !== undefined ? generated(index) : added.get(id);
      if (!current) return undefined;
      const item: SandboxItem = { ...current, ...patch, id, dateUpdated: bump(current.dateUpdated) };
      for (const [k, v] of Object.entries(patch)) if (v === null) delete item[k];
      if (index !== undefined) patched.set(index, item);
      else added.set(id, item);
      return item;
    },
    retire(id) {
      return this.edit(id, { active: false });
    },
    remove(id) {
      const index = locate(id);
      if (index !== undefined) {
        removed.add(index);
        patched.delete(index);
        removedSorted = [...removed].sort((a, b) => a - b);
        return true;
      }
      return added.delete(id);
    },
    reset() {
      patched.clear();
      removed.clear();
      removedSorted = [];
      added.clear();
    },
  };
}
