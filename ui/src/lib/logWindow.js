// A window onto a run's log that may hold millions of events: the page knows how many
// events pass its filter and holds only the pages of rows that were in view. A page is read
// by cursor from a neighbour it holds (an index seek on the server), else by position from
// the nearer end of the log. Pages far from the view are dropped, so memory stays bounded.

export const PAGE = 200;
const KEEP_PAGES = 150; // about 30,000 events held at most
const MAX_IN_FLIGHT = 2;

/**
 * How to read page `p` (rows [p*PAGE, p*PAGE+PAGE)) of a log of `total` rows, given the pages
 * held: the `logsForRun` arguments.
 * @param {number} p
 * @param {number} total
 * @param {Map<number, {start: string|null, end: string|null}>} pages
 * @returns {{afterCursor?: string, beforeCursor?: string, offset: number, fromEnd: boolean, limit: number} | null}
 *   null when the page is past the end.
 */
export function pageRequest(p, total, pages) {
  const first = p * PAGE;
  if (first >= total) return null;
  const last = Math.min(total, first + PAGE);
  const limit = last - first;
  const before = pages.get(p - 1);
  if (before?.end) return { afterCursor: before.end, offset: 0, fromEnd: false, limit };
  const after = pages.get(p + 1);
  if (after?.start) return { beforeCursor: after.start, offset: 0, fromEnd: true, limit };
  if (first < total - last) return { offset: first, fromEnd: false, limit };
  return { offset: total - last, fromEnd: true, limit };
}

/**
 * The rows of one filtered view of a run's log.
 *
 * `read(args)` answers a `logsForRun` EventConnection for the view's filter (args: the
 * cursors, offset, fromEnd, limit, and `count: true` to ask for the count).
 * `onChange()` is called when the count (or readiness, or an error) changes: what the page
 * around the list shows. A page of rows landing calls `onRows()` instead, when the list has
 * set one, so only the list draws again, not the page with its timeline and filters.
 */
export class LogWindow {
  constructor(read, onChange) {
    this.read = read;
    this.onChange = onChange;
    /** @type {(() => void) | null} */
    this.onRows = null;
    this.total = 0;
    this.ready = false;
    this.counted = false; // the count came (until then the newest rows stand alone)
    this.error = null;
    /** @type {Map<number, {events: any[], start: string|null, end: string|null, used: number}>} */
    this.pages = new Map();
    this.pending = new Set();
    this.generation = 0;
    this.clock = 0;
    this.wanted = null;
  }

  /**
   * Read the view's newest page and count the view, both at once: the newest rows show as
   * soon as they come (as all there is until the count comes, which may read the whole
   * log), then take their places. Answers the newest cursor (for tailing).
   */
  async open() {
    const gen = this.generation;
    let counted = null;
    const counting = this.read({ count: true, fromEnd: true, offset: 0, limit: 0 }).then((c) => (counted = c.count));
    const tail = await this.read({ fromEnd: true, offset: 0, limit: PAGE });
    if (gen !== this.generation) return null;
    if (!tail.hasMore) counted = tail.events.length; // the whole view came
    if (counted === null) {
      this.place(tail, tail.events.length);
      await counting;
      if (gen !== this.generation) return null;
    }
    this.place(tail, counted);
    this.counted = true;
    return tail.cursor;
  }

  /** Lay the newest page out as the last rows of a view of `total` rows. */
  place(c, total) {
    this.pages.clear();
    this.total = total;
    const p = Math.max(0, Math.ceil(total / PAGE) - 1);
    const n = c.events.length;
    const rows = total - p * PAGE; // the last page may be short
    if (rows > 0 && n >= rows) {
      const whole = n === rows;
      this.pages.set(p, { events: c.events.slice(n - rows), start: whole ? c.startCursor : null, end: c.cursor, used: ++this.clock });
    }
    this.ready = true;
    this.onChange();
    this.pump();
  }

  /** The event at row `i`, or undefined while its page is not here. */
  row(i) {
    const page = this.pages.get(Math.floor(i / PAGE));
    return page?.events[i % PAGE];
  }

  /**
   * The rows [start, end) are in view: read the pages missing there, a few at a time and
   * nearest the view first. Pages scrolled past before their turn are never asked for, so a
   * fast scroll through a long log sends only the requests for where it stops.
   */
  want(start, end) {
    this.wanted = [start, end];
    const p0 = Math.floor(start / PAGE);
    const p1 = Math.floor(Math.max(start, end - 1) / PAGE);
    for (let p = p0; p <= p1; p++) {
      const page = this.pages.get(p);
      if (page) page.used = ++this.clock;
    }
    this.pump();
  }

  pump() {
    if (!this.wanted || !this.ready) return;
    const [start, end] = this.wanted;
    const p0 = Math.floor(start / PAGE);
    const p1 = Math.floor(Math.max(start, end - 1) / PAGE);
    const mid = (p0 + p1) / 2;
    const missing = [];
    for (let p = p0; p <= p1; p++) if (!this.pages.has(p) && !this.pending.has(p)) missing.push(p);
    missing.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
    for (const p of missing) {
      if (this.pending.size >= MAX_IN_FLIGHT) break;
      this.fetch(p);
    }
  }

  async fetch(p) {
    const req = pageRequest(p, this.total, this.pages);
    if (!req) return;
    const gen = this.generation;
    this.pending.add(p);
    try {
      const c = await this.read(req);
      if (gen !== this.generation) return;
      this.pages.set(p, { events: c.events, start: c.startCursor ?? null, end: c.events.length ? c.cursor : null, used: ++this.clock });
      this.evict();
      (this.onRows ?? this.onChange)();
    } catch (e) {
      if (gen === this.generation) {
        this.error = e.message;
        this.onChange();
      }
    } finally {
      if (gen === this.generation) {
        this.pending.delete(p);
        this.pump();
      }
    }
  }

  /**
   * Events were stored after the view was opened: `passing` of them pass its filter (or
   * null when unknown: the view is counted again). The last page is read again when in view.
   */
  async grow(passing) {
    if (passing === 0) return;
    const gen = this.generation;
    let total = this.total + (passing ?? 0);
    if (passing === null) {
      const c = await this.read({ count: true, fromEnd: true, offset: 0, limit: 0 });
      if (gen !== this.generation) return;
      total = c.count;
    }
    const lastBefore = Math.floor(Math.max(0, this.total - 1) / PAGE);
    this.total = total;
    // The page that was last may have been short: it is read again, with the new rows.
    this.pages.delete(lastBefore);
    this.onChange();
    this.pump();
  }

  /** Forget everything (a new filter): pages still in flight are ignored when they land. */
  reset() {
    this.generation++;
    this.pages.clear();
    this.pending.clear();
    this.total = 0;
    this.ready = false;
    this.counted = false;
    this.error = null;
  }

  evict() {
    if (this.pages.size <= KEEP_PAGES) return;
    const byAge = [...this.pages.entries()].sort((a, b) => a[1].used - b[1].used);
    for (const [p] of byAge.slice(0, this.pages.size - KEEP_PAGES)) this.pages.delete(p);
  }
}

/** The server's filter from the page's: lists left out when empty. */
export function serverFilter(filter) {
  const f = {};
  if (filter.steps?.length) f.stepKeys = filter.steps;
  if (filter.levels?.length) f.levels = filter.levels;
  if (filter.types?.length) f.eventTypes = filter.types;
  if (filter.text) f.text = filter.text;
  return Object.keys(f).length ? f : null;
}
