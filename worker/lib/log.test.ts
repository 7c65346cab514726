import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeError } from "./log";

describe("describeError", () => {
  it("keeps a failed query's statement and database error, never its parameters", () => {
    const hash = "scrypt$N=16384,r=8,p=5$c2FsdA$a2V5";
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_pkey"'), {
      code: "23505",
    });
    const error = new DrizzleQueryError(
      'insert into "users" ("email", "password_hash") values ($1, $2)',
      ["ada@example.com", hash],
      cause,
    );
    const described = JSON.stringify(describeError(error));
    expect(described).not.toContain(hash);
    expect(described).not.toContain("ada@example.com");
    expect(described).toContain('insert into \\"users\\"');
    expect(described).toContain("23505 duplicate key value");
  });

  it("describes other errors by name and message", () => {
    expect(describeError(new TypeError("boom")).error).toBe("TypeError: boom");
    expect(describeError("plain")).toEqual({ error: "plain" });
  });
});
