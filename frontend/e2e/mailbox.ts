/** Reads the codes the backend emailed, from Django's file email backend folder. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const POLL_MS = 200;
const DEADLINE_MS = 15_000;

export class Mailbox {
  private seen = new Set<string>();

  constructor(private readonly dir: string) {
    this.mark();
  }

  /** Forgets every email so far: the next `code` waits for a new one. */
  mark(): void {
    this.files().forEach((file) => this.seen.add(file));
  }

  /** The 6-digit code of the next email to `recipient` (the only standalone six digits of its body). */
  async code(recipient: string): Promise<string> {
    const deadline = Date.now() + DEADLINE_MS;
    while (Date.now() < deadline) {
      for (const file of this.files()) {
        if (this.seen.has(file)) continue;
        const text = readFileSync(join(this.dir, file), "utf-8");
        const [headers, ...body] = text.split(/\r?\n\r?\n/);
        if (!new RegExp(`^To: .*${recipient.replace(/[.+]/g, "\\$&")}`, "mi").test(headers)) continue;
        this.seen.add(file);
        const match = /(?<!\d)\d{6}(?!\d)/.exec(body.join("\n"));
        if (match) return match[0];
      }
      await new Promise((wait) => setTimeout(wait, POLL_MS));
    }
    throw new Error(`No code emailed to ${recipient} within ${DEADLINE_MS} ms`);
  }

  private files(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir).sort() : [];
  }
}
