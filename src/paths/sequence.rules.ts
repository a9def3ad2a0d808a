// Pure: which steps of a path (or blocks of a program session) a learner may open.
// A step unlocks when the one before it is unlocked and passed. Passed means completed; for a block
// whose course unlocks the next on launch (a synced OpenSesame course in a program session, per the
// seed), launched from that session is enough, whatever the result.

export type SequenceItem = {
  /** The learner completed this course (any attempt, any entry point: completion is about the course). */
  completed: boolean;
  /** The learner has an attempt from this very path or session. */
  launched: boolean;
  /** Launching is enough to unlock the next item (program sessions, synced courses). */
  unlocksNextOnLaunch: boolean;
};

export type ItemState = 'completed' | 'in_progress' | 'available' | 'locked';

export function sequenceStates(items: readonly SequenceItem[]): ItemState[] {
  const states: ItemState[] = [];
  let unlocked = true;
  for (const item of items) {
    if (item.completed) states.push('completed');
    else if (!unlocked) states.push('locked');
    else states.push(item.launched ? 'in_progress' : 'available');
    unlocked = unlocked && (item.completed || (item.unlocksNextOnLaunch && item.launched));
  }
  return states;
}

/** May the learner open item `index`? Completed items stay open; locked ones do not. */
export function isOpen(states: readonly ItemState[], index: number): boolean {
  const s = states[index];
  return s !== undefined && s !== 'locked';
}

/** Share of items completed, 0–100, rounded down; an empty sequence is 0. */
export function completionRate(states: readonly ItemState[]): number {
  if (states.length === 0) return 0;
  return Math.floor((100 * states.filter((s) => s === 'completed').length) / states.length);
}

/** A course synced from a provider (not authored on the platform): its launch unlocks the next block. */
export function isSyncedCourse(c: { integration_id: string | null; source: string }): boolean {
  return c.integration_id !== null || c.source !== 'native';
}

/** `ids` with `id` swapped with its neighbour; undefined when it is absent or already at that end. */
export function moveItem(ids: readonly string[], id: string, direction: 'up' | 'down'): string[] | undefined {
  const from = ids.indexOf(id);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= ids.length) return undefined;
  const out = [...ids];
  [out[from], out[to]] = [out[to] as string, out[from] as string];
  return out;
}
