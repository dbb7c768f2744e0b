/**
 * Starts the backend for the end-to-end run: a fresh SQLite file, the demo staff user,
 * emails written to files (login and transfer codes are read there), Daphne on a free
 * port serving frontend/dist. Returns the teardown that stops it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const PYTHON = process.env.NEXUS_PYTHON ?? join(REPO, ".venv", "bin", "python");
const STARTUP_DEADLINE_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function manage(env: NodeJS.ProcessEnv, ...args: string[]): void {
  const result = spawnSync(PYTHON, ["manage.py", ...args], { cwd: REPO, env, encoding: "utf-8" });
  if (result.status !== 0) throw new Error(`manage.py ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

async function waitForHealth(url: string, daphne: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (daphne.exitCode !== null) throw new Error(`Daphne exited with ${daphne.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health/`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`Daphne did not answer at ${url} within ${STARTUP_DEADLINE_MS} ms`);
}

export default async function globalSetup() {
  const work = mkdtempSync(join(tmpdir(), "nexus-e2e-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DJANGO_DEBUG: "false",
    DJANGO_SECRET_KEY: `e2e-${Math.random().toString(36).slice(2)}-${Date.now()}`,
    DATABASE_URL: `sqlite:///${join(work, "e2e.sqlite3")}`,
    EMAIL_HOST: "",
    EMAIL_FILE_PATH: join(work, "mail"),
    REDIS_URL: "",
    API_THROTTLING: "off",
    ALLOWED_HOSTS: "127.0.0.1,localhost",
    FRONTEND_URL: `http://127.0.0.1:${port}`,
    SECURE_HSTS_SECONDS: "0",
  };
  manage(env, "migrate", "--noinput");
  manage(env, "ensure_demo_staff");

  const daphne = spawn(join(REPO, ".venv", "bin", "daphne"), ["-v", "0", "-b", "127.0.0.1", "-p", String(port), "nexus.asgi:application"], {
    cwd: REPO,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, daphne);

  process.env.E2E_BASE_URL = url;
  process.env.E2E_MAIL_DIR = env.EMAIL_FILE_PATH;

  return async () => {
    daphne.kill("SIGTERM");
    await new Promise((done) => (daphne.exitCode !== null ? done(null) : daphne.once("exit", done)));
    rmSync(work, { recursive: true, force: true });
  };
}
