import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../lib/errors";

/** Every route takes JSON of a few kilobytes at most; none needs more than this. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses bodies larger than `maxBytes` with 413 PAYLOAD_TOO_LARGE: by `Content-Length` when
 * the request has one, otherwise (chunked) by counting the bytes as they arrive, so nothing
 * past the limit is buffered.
 */
export const limitBody = (maxBytes = MAX_BODY_BYTES) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        `The request body is too large: send at most ${maxBytes / 1024} KiB (${maxBytes} bytes).`,
        { details: { maxBytes } },
      );
    },
  });
