// Runs in Node before the workerd test pool starts: brings up the database chain the Worker
// under test talks to, exactly as in `npm run dev`.
//   default:            embedded PGlite in memory, behind our wire-protocol server (scripts/lib/pglite-server.mjs) and the WS proxy
//   TEST_DATABASE_URL:  a real Postgres server; a scratch database is created and dropped
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../scripts/lib/embedded-db.mjs";
import { startMailStandin } from "../scripts/lib/mail-standin.mjs";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { createScratchDatabase, migrateDatabase } from "../scripts/lib/server-db.mjs";
import { startWsProxy } from "../scripts/lib/ws-proxy.mjs";
import { type MockProviderClients, startMockOAuthProviders } from "./oauth-providers";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    wsProxy: string;
    databaseKind: "pglite" | "postgres";
    /** A local port that accepts connections and never answers: a hung database. */
    blackholePort: number;
    encryptionKeys: string;
    /** The stand-in customer application (scripts/lib/metrics-app.mjs). */
    metricsAppUrl: string;
    /** A local URL answering Debian's `oathtool` TOTP codes; "" when oathtool is not installed. */
    oathtoolUrl: string;
    /** The local stand-in for GitHub and Google (test/oauth-providers.ts) and our apps there. */
    oauthProviders: { url: string } & MockProviderClients;
    /** The local mail provider stand-in (scripts/lib/mail-standin.mjs): its URL and API key. */
    mailStandin: { url: string; apiKey: string };
  }
}

export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<void>> = [];
  const serverUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl: string;
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl);
    cleanups.push(scratch.drop);
    await migrateDatabase(scratch.url);
    databaseUrl = scratch.url;
  } else {
    const embedded = await startEmbeddedDatabase();
    cleanups.push(embedded.stop);
    databaseUrl = embedded.url;
  }
  const proxy = await startWsProxy();
  cleanups.push(proxy.close);

  const sockets = new Set<net.Socket>();
  const blackhole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  const metricsApp = await startMetricsApp();
  cleanups.push(metricsApp.close);
  project.provide("metricsAppUrl", metricsApp.url);

  project.provide("databaseUrl", databaseUrl);
  project.provide("encryptionKeys", `1:${randomBytes(32).toString("base64")}`);
  project.provide("blackholePort", (blackhole.address() as net.AddressInfo).port);
  project.provide("wsProxy", `127.0.0.1:${proxy.port}`);
  project.provide("databaseKind", serverUrl ? "postgres" : "pglite");

  const oathtool = await startOathtoolServer();
  // CI sets this: there, a missing oathtool must fail the run, not skip its test.
  if (!oathtool && process.env.REQUIRE_OATHTOOL)
    throw new Error("oathtool is required (apt-get install oathtool)");
  if (oathtool) cleanups.push(oathtool.close);
  project.provide("oathtoolUrl", oathtool?.url ?? "");

  const oauthClients: MockProviderClients = {
    github: { clientId: "seqpulse-test-github", clientSecret: randomBytes(20).toString("hex") },
    google: { clientId: "seqpulse-test-google", clientSecret: randomBytes(20).toString("hex") },
  };
  const oauthProviders = await startMockOAuthProviders(oauthClients);
  cleanups.push(oauthProviders.close);
  project.provide("oauthProviders", { url: oauthProviders.url, ...oauthClients });

  const mailStandin = await startMailStandin({ apiKey: `re_test_${randomBytes(12).toString("hex")}` });
  cleanups.push(mailStandin.close);
  project.provide("mailStandin", { url: mailStandin.url, apiKey: mailStandin.apiKey });

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}

function runOathtool(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("oathtool", args, { timeout: 5_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    ),
  );
}

/**
 * Tests run inside workerd, which cannot start processes: this answers
 * `GET /totp?secret=<base32>&time=<unix seconds>` with `oathtool --totp` for them. Null when
 * oathtool is missing (CI installs it: apt package `oathtool`).
 */
async function startOathtoolServer(): Promise<{ url: string; close: () => Promise<void> } | null> {
  try {
    await runOathtool(["--version"]);
  } catch {
    return null;
  }
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const secret = url.searchParams.get("secret") ?? "";
    const time = url.searchParams.get("time") ?? "";
    if (url.pathname !== "/totp" || !/^[A-Z2-7]+=*$/.test(secret) || !/^\d+$/.test(time)) {
      res.writeHead(400).end();
      return;
    }
    try {
      const code = await runOathtool(["--totp", "--base32", `--now=@${time}`, secret]);
      res.writeHead(200, { "Content-Type": "text/plain" }).end(code);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
