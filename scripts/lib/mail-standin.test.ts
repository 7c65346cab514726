import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailStandin } from "./mail-standin.mjs";

let standin: Awaited<ReturnType<typeof startMailStandin>>;
beforeAll(async () => {
  standin = await startMailStandin({ apiKey: "re_test_key" });
});
afterAll(() => standin.close());

function resend(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${standin.url}/emails`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer re_test_key", ...headers },
    body: JSON.stringify(body),
  });
}

const mail = (to: string, subject = "Hello") => ({
  from: "SeqPulse <n@seqpulse.local>",
  to: [to],
  subject,
  text: "Hi",
  html: "<p>Hi <script>alert(1)</script></p>",
});

describe("the mail stand-in", () => {
  it("speaks Resend: bearer key, validation, idempotency keys", async () => {
    expect((await resend(mail("a@example.com"), { Authorization: "" })).status).toBe(401);
    expect((await resend(mail("a@example.com"), { Authorization: "Bearer wrong" })).status).toBe(403);
    expect((await resend({ to: ["a@example.com"] })).status).toBe(422);
    const first = await resend(mail("a@example.com"), { "Idempotency-Key": "k1" });
    const again = await resend(mail("a@example.com"), { "Idempotency-Key": "k1" });
    expect(first.status).toBe(200);
    const { id } = (await first.json()) as { id: string };
    expect(await again.json()).toEqual({ id });
    expect((await resend(mail("a@example.com", "Other"), { "Idempotency-Key": "k1" })).status).toBe(409);
    const listed = (await (await fetch(`${standin.url}/api/mails?to=A@example.com`)).json()) as {
      mails: Array<{ id: string; requests: number }>;
    };
    expect(listed.mails).toEqual([expect.objectContaining({ id, requests: 2 })]);
  });

  it("speaks Postmark", async () => {
    const sent = await fetch(`${standin.url}/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Postmark-Server-Token": "re_test_key" },
      body: JSON.stringify({
        From: "n@seqpulse.local",
        To: "p@example.com",
        Subject: "Hi",
        TextBody: "Hi",
        HtmlBody: "<p>Hi</p>",
        Metadata: { dedupe_key: "k2" },
        Headers: [{ Name: "List-Unsubscribe", Value: "<https://x/y>" }],
      }),
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ ErrorCode: 0, MessageID: expect.any(String) });
    const [stored] = standin.mails().filter((m) => m.to.includes("p@example.com"));
    expect(stored).toMatchObject({
      provider: "postmark",
      metadata: { dedupe_key: "k2" },
      headers: { "List-Unsubscribe": "<https://x/y>" },
    });
  });

  it("fails or hangs on request, per recipient", async () => {
    await fetch(`${standin.url}/__control/recipients/f@example.com`, {
      method: "PUT",
      body: JSON.stringify({ fail: 1, status: 503, hang: 1 }),
    });
    const hung = fetch(`${standin.url}/emails`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer re_test_key" },
      body: JSON.stringify(mail("f@example.com")),
      signal: AbortSignal.timeout(500),
    });
    await expect(hung).rejects.toThrow();
    expect((await resend(mail("f@example.com"))).status).toBe(503);
    expect((await resend(mail("f@example.com"))).status).toBe(200);
  }, 10_000);

  it("serves a mailbox that shows mail HTML only in a sandbox that runs no script", async () => {
    const list = await (await fetch(`${standin.url}/`)).text();
    expect(list).toContain("Local mailbox");
    const [first] = standin.mails();
    const page = await (await fetch(`${standin.url}/mails/${first?.id}`)).text();
    expect(page).toContain('<iframe sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(page).not.toContain("<script>");
    const html = await fetch(`${standin.url}/mails/${first?.id}/html`);
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});
