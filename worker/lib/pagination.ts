import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import * as z from "zod";
import { ApiError } from "./errors";

/**
 * Keyset pagination, newest first: the cursor is the (timestamp, id) of the last item seen,
 * opaque to clients. Stable under inserts, unlike offsets.
 */
export interface Cursor {
  at: Date;
  id: string;
}

export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

export function encodeCursor(cursor: Cursor): string {
  return encodeBase64urlNoPadding(
    new TextEncoder().encode(JSON.stringify([cursor.at.toISOString(), cursor.id])),
  );
}

export function decodeCursor(value: string | undefined): Cursor | null {
  if (!value) return null;
  try {
    const [at, id] = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(value))) as [
      string,
      string,
    ];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof id !== "string") throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw new ApiError("VALIDATION_FAILED", "Invalid cursor.", {
      fields: [{ field: "cursor", message: "Invalid cursor." }],
    });
  }
}

/** Fetch `limit + 1` rows; this trims them and says where the next page starts. */
export function page<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
