import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import * as z from "zod";
import { ApiError } from "./errors";
import { isUuid } from "./ids";

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

/** Timestamps Postgres accepts and we could have written: 1970 up to the end of year 9999. */
const LATEST_CURSOR_TIME = Date.UTC(10000, 0, 1);

/**
 * The cursor goes straight into a keyset WHERE: a value the column cannot hold (an id that is not
 * a UUID, a year Postgres refuses) must be a 400 here, not a database error (500) later.
 * `isValidId` checks the id for lists whose cursor id is not a UUID.
 */
export function decodeCursor(
  value: string | undefined,
  isValidId: (id: string) => boolean = isUuid,
): Cursor | null {
  if (!value) return null;
  try {
    const [at, id] = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(value))) as [
      unknown,
      unknown,
    ];
    if (typeof at !== "string" || typeof id !== "string" || !isValidId(id)) throw new Error("bad cursor");
    const date = new Date(at);
    const time = date.getTime();
    if (Number.isNaN(time) || time < 0 || time >= LATEST_CURSOR_TIME) throw new Error("bad cursor");
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
