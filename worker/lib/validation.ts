import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type * as z from "zod";
import { ApiError } from "./errors";

/**
 * zod validation for a request part; failures become 400 VALIDATION_FAILED listing each field
 * (`password`, `tokens.0.name`, or `body` for the whole body).
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
      throw new ApiError("VALIDATION_FAILED", "Some fields are invalid.", { fields });
    }
  });
