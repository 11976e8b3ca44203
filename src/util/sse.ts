/** Server-sent events: an incremental parser for upstream bodies and a frame writer for clients. */

export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Incremental SSE parser: feed it text as it arrives, get complete events. Handles \n, \r\n and
 * \r line ends, multi-line data, comments and events split across chunks. Memory is bounded by
 * `maxEventBytes`: a stream that never ends an event is an upstream error, not a reason to buffer.
 */
export class SseParser {
  private buf = '';
  private data: string[] = [];
  private event: string | undefined;
  constructor(private readonly maxEventBytes = 8 * 1024 * 1024) {}

  push(chunk: string): SseEvent[] {
    this.buf += chunk;
    const out: SseEvent[] = [];
    let start = 0;
    // Fast path: without any \r, lines end at \n, found by the native indexOf.
    if (this.buf.indexOf('\r') < 0) {
      for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n', start)) {
        const line = this.buf.slice(start, nl);
        start = nl + 1;
        this.line(line, out);
      }
      this.buf = start ? this.buf.slice(start) : this.buf;
      if (this.buf.length > this.maxEventBytes) throw new Error('upstream sent an SSE event larger than the limit');
      return out;
    }
    for (;;) {
      let nl = -1;
      let width = 1;
      for (let i = start; i < this.buf.length; i++) {
        const c = this.buf.charCodeAt(i);
        if (c === 10) {
          nl = i;
          break;
        }
        if (c === 13) {
          if (i + 1 >= this.buf.length) break; // wait: may be \r\n split across chunks
          nl = i;
          width = this.buf.charCodeAt(i + 1) === 10 ? 2 : 1;
          break;
        }
      }
      if (nl < 0) break;
      const line = this.buf.slice(start, nl);
      start = nl + width;
      this.line(line, out);
    }
    this.buf = this.buf.slice(start);
    if (this.buf.length > this.maxEventBytes) throw new Error('upstream sent an SSE event larger than the limit');
    return out;
  }

  /** Flushes a final event not followed by a blank line. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.buf.length) this.line(this.buf, out);
    this.buf = '';
    this.line('', out);
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length || this.event) out.push({ event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}

export function sseFrame(data: string, event?: string): string {
  return (event ? `event: ${event}\n` : '') + `data: ${data}\n\n`;
}
