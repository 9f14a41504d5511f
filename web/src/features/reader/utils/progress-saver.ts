/**
 * Saves the reader's place without a request per page turn: the latest place is sent after a short pause (the
 * reader turning several pages quickly costs one save), at most one save is in flight, and `flush` sends what is
 * pending at once (the page being hidden or left: with `keepalive`, so it outlives the page).
 */
export interface PendingPlace {
  readonly location: string;
  readonly progress: number;
}

export class ProgressSaver {
  private pending: PendingPlace | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<unknown> | null = null;

  constructor(
    private readonly send: (place: PendingPlace, keepalive: boolean) => Promise<unknown>,
    private readonly delayMs = 600,
  ) {}

  save(place: PendingPlace): void {
    this.pending = place;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(false), this.delayMs);
  }

  flush(keepalive: boolean): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const place = this.pending;
    if (!place) return;
    if (this.inFlight && !keepalive) {
      // One at a time: try again once the current save is done.
      this.timer = setTimeout(() => this.flush(false), this.delayMs);
      return;
    }
    this.pending = null;
    const sent: Promise<unknown> = this.send(place, keepalive)
      .catch(() => {
        // Failed: keep it for the next page turn, unless a newer place came meanwhile.
        this.pending ??= place;
      })
      .finally(() => {
        if (this.inFlight === sent) this.inFlight = null;
      });
    this.inFlight = sent;
  }
}
