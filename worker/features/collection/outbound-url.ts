/**
 * Checks a user-supplied URL before we fetch it (metrics endpoints; later webhooks): http(s)
 * only, no credentials in it, and, unless local targets are allowed (development and tests),
 * no loopback, private, link-local or otherwise internal address. The port is kept.
 */
export type OutboundUrlResult = { ok: true; url: string } | { ok: false; reason: string };

export function checkOutboundUrl(
  input: string,
  options: { allowPrivateTargets: boolean },
): OutboundUrlResult {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, reason: "only http and https URLs" };
  if (url.username || url.password) return { ok: false, reason: "no credentials in the URL" };
  if (!url.hostname) return { ok: false, reason: "the URL has no host" };
  url.hash = "";
  if (!options.allowPrivateTargets && isInternalHost(url.hostname)) {
    return { ok: false, reason: "private, loopback and link-local addresses are not allowed" };
  }
  return { ok: true, url: url.toString() };
}

export function isInternalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal")
  ) {
    return true;
  }
  const ipv4 = parseIpv4(host);
  if (ipv4) return isInternalIpv4(ipv4);
  if (host.includes(":")) return isInternalIpv6(host);
  return false;
}

function parseIpv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const numbers = parts.map(Number);
  return numbers.every((n) => n <= 255) ? numbers : null;
}

function isInternalIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

function isInternalIpv6(host: string): boolean {
  if (host === "::" || host === "::1") return true;
  // IPv4-mapped addresses: `::ffff:127.0.0.1`, which URL parsing turns into `::ffff:7f00:1`.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped?.[1]) return isInternalIpv4(parseIpv4(mapped[1]) ?? [0, 0]);
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mappedHex?.[1] && mappedHex[2]) {
    const high = Number.parseInt(mappedHex[1], 16);
    const low = Number.parseInt(mappedHex[2], 16);
    return isInternalIpv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  const first = Number.parseInt(host.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  );
}
