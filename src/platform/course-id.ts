import { v7 as uuidv7 } from 'uuid';

/**
 * Course ids are time-ordered UUIDs (version 7), not random ones (version 4). A catalogue sync
 * inserts thousands of courses at once, and every index keyed by the course id (the primary key,
 * catalog entries, subjects) then grows at its right edge: a commit of 100 new courses dirties a
 * few index pages instead of ~100 random ones per index, each rewritten to the WAL (a 20,000-course
 * first sync wrote 2.5 GB to SQLite's WAL with random ids, 1.3 GB with these). Ids stay opaque,
 * unique and unguessable enough for what they are (74 random bits).
 */
export function newCourseId(): string {
  return uuidv7();
}
