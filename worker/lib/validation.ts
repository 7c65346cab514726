import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import * as z from "zod";
import { ApiError } from "./errors";

type Issue = Parameters<NonNullable<z.core.$ZodConfig["customError"]>>[0];

const ARTICLE: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  date: "a date",
};

const FORMAT: Record<string, string> = {
  email: "a valid email address",
  url: "a URL",
  uuid: "a UUID",
  guid: "a UUID",
  datetime: "a date and time (ISO 8601)",
  date: "a date (YYYY-MM-DD)",
};

/**
 * Messages for zod's own issues, written for people and naming the field (`env is required.`,
 * `branch must be at most 255 characters.`). A message a schema sets itself wins over these;
 * an issue not handled here keeps zod's wording.
 */
export function humanMessage(issue: Issue): string | undefined {
  const path = (issue.path ?? []).map(String).join(".");
  const field = path || "The body";
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return path ? `${field} is required.` : "Send a JSON body.";
      const expected = ARTICLE[issue.expected] ?? String(issue.expected);
      return path
        ? `${field} must be ${expected}.`
        : `The body must be ${expected === "an object" ? "a JSON object" : expected}.`;
    }
    case "too_big":
    case "too_small": {
      const limit = Number(issue.code === "too_big" ? issue.maximum : issue.minimum);
      const bound = issue.code === "too_big" ? "at most" : "at least";
      if (issue.origin === "string")
        return `${field} must be ${bound} ${limit} character${limit === 1 ? "" : "s"}.`;
      if (issue.origin === "array" || issue.origin === "set") {
        return `${field} must have ${bound} ${limit} item${limit === 1 ? "" : "s"}.`;
      }
      if (issue.origin === "number" || issue.origin === "int") {
        if (issue.inclusive === false)
          return `${field} must be ${issue.code === "too_big" ? "less" : "greater"} than ${limit}.`;
        return `${field} must be ${bound} ${limit}.`;
      }
      return undefined;
    }
    case "invalid_format": {
      const format = FORMAT[issue.format];
      return format ? `${field} must be ${format}.` : `${field} is not in the expected format.`;
    }
    case "invalid_value": {
      const values = issue.values.map((value) => String(value));
      return values.length === 1
        ? `${field} must be ${values[0]}.`
        : `${field} must be one of: ${values.join(", ")}.`;
    }
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length === 1 ? "" : "s"}${path ? ` in ${path}` : ""}: ${issue.keys.join(", ")}.`;
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
    case "custom":
      return `${field} is not valid.`;
    default:
      return undefined;
  }
}

// Below a schema's own messages, above zod's locale: one place words every validation failure.
z.config({ customError: humanMessage });

/** The first few field messages, for clients that show only the top-level one. */
function summaryOf(messages: string[]): string {
  const shown = messages.slice(0, 3).join(" ");
  const more = messages.length - 3;
  return more > 0 ? `${shown} And ${more} more: see fields.` : shown || "Some fields are invalid.";
}

/**
 * zod validation for a request part; failures become 400 VALIDATION_FAILED listing each field
 * (`password`, `tokens.0.name`, or `body` for the whole body), the message saying what is wrong.
 */
export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const fields = result.error.issues.map((issue) => ({
        field: issue.path.length > 0 ? issue.path.join(".") : target === "json" ? "body" : target,
        message: issue.message,
      }));
      throw new ApiError("VALIDATION_FAILED", summaryOf(fields.map((field) => field.message)), { fields });
    }
  });
