/**
 * Bounded buffers for a command's output: memory stays within the cap however much a command
 * prints, and whatever was cut is said, never silently lost.
 */

/**
 * Keeps the first and last halves of everything appended (the start says what ran, the end how it
 * ended); {@link HeadTailBuffer.text} says how much was cut from the middle.
 */
export class HeadTailBuffer {
  private head = '';
  private tail = '';
  private total = 0;
  private readonly half: number;

  /** @param maxChars cap on the text kept (and returned, plus the note). */
  constructor(maxChars: number) {
    this.half = Math.max(1, Math.floor(maxChars / 2));
  }

  append(chunk: string): void {
    this.total += chunk.length;
    if (this.head.length < this.half) {
      const room = this.half - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk.length === 0) return;
    this.tail = (this.tail + chunk).slice(-this.half);
  }

  /** Characters appended in all. */
  get length(): number {
    return this.total;
  }

  /** The output, with a note in place of the middle when it was cut. */
  text(): string {
    const cut = this.total - this.head.length - this.tail.length;
    if (cut <= 0) return this.head + this.tail;
    return `${this.head}\n\n[… ${cut} characters of output cut here: the output was longer than ${this.half * 2} characters …]\n\n${this.tail}`;
  }
}

/**
 * Output not yet read (a background shell's), capped: when more arrives than the cap before it is
 * read, the oldest part is dropped and the next read says how much.
 */
export class UnreadBuffer {
  private unread = '';
  private dropped = 0;

  constructor(private readonly maxChars: number) {}

  append(chunk: string): void {
    this.unread += chunk;
    if (this.unread.length > this.maxChars) {
      const excess = this.unread.length - this.maxChars;
      this.dropped += excess;
      this.unread = this.unread.slice(excess);
    }
  }

  /** Everything since the last take (with a note when some was dropped), and mark it read. */
  take(): { text: string; dropped: number } {
    const out = { text: this.unread, dropped: this.dropped };
    this.unread = '';
    this.dropped = 0;
    return out;
  }
}
