import { describe, expect, it } from "vitest";
import { sha256Hex } from "./crypto";
import { newIdSecretToken, parseIdSecretToken, secretMatchesHash } from "./id-secret-token";

describe("id.secret tokens", () => {
  it("parse back into the id they were stored under, and only the secret's hash is kept", async () => {
    const { id, token, secretHash } = await newIdSecretToken();
    const parsed = parseIdSecretToken(token);
    expect(parsed?.id).toBe(id);
    expect(token).toBe(`${id}.${parsed?.secret}`);
    expect(secretHash).toBe(await sha256Hex(parsed?.secret ?? ""));
    expect(token).not.toContain(secretHash);
    expect(await secretMatchesHash(parsed?.secret ?? "", secretHash)).toBe(true);
  });

  it("refuses another token's secret, a truncated one, and the stored hash itself", async () => {
    const first = await newIdSecretToken();
    const second = await newIdSecretToken();
    const secret = parseIdSecretToken(first.token)?.secret ?? "";
    const otherSecret = parseIdSecretToken(second.token)?.secret ?? "";
    expect(await secretMatchesHash(otherSecret, first.secretHash)).toBe(false);
    expect(await secretMatchesHash(secret.slice(0, -1), first.secretHash)).toBe(false);
    expect(await secretMatchesHash(first.secretHash, first.secretHash)).toBe(false);
    expect(await secretMatchesHash("", first.secretHash)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["no separator", "abcdef"],
    ["no secret", "abcdef."],
    ["no id", ".c2VjcmV0"],
    ["two separators", "abc.def.ghi"],
    ["an id outside base32 lower case", "ABC.c2VjcmV0"],
    ["a secret outside base64url", "abc.c2Vj+cmV0"],
    ["an id too long", `${"a".repeat(65)}.c2VjcmV0`],
    ["a secret too long", `abc.${"A".repeat(129)}`],
    ["whitespace around it", " abc.c2VjcmV0"],
  ])("refuses a token with %s without looking it up", (_, token) => {
    expect(parseIdSecretToken(token)).toBeNull();
  });
});
