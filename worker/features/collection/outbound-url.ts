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
  // The URL parser keeps an explicit `:0`; nothing listens there, and some stacks read it as
  // "any port".
  if (url.port === "0") return { ok: false, reason: "port 0 is not a port to fetch from" };
  url.hash = "";
  if (!options.allowPrivateTargets) {
    if (isInternalHost(url.hostname))
      return { ok: false, reason: "private, loopback and link-local addresses are not allowed" };
    const naming = hostNameProblem(url.hostname);
    if (naming) return { ok: false, reason: naming };
  }
  return { ok: true, url: url.toString() };
}

/**
 * Host names a public endpoint cannot have: a dotless name (`intranet`, `metrics`) is resolved
 * through the resolver's search domains, i.e. inside someone's network; empty labels
 * (`example.com..`) are not a DNS name at all, and resolvers disagree on what they mean. One
 * trailing dot (the fully qualified spelling) is fine. IP literals are judged elsewhere.
 */
function hostNameProblem(hostname: string): string | null {
  if (hostname.startsWith("[") || parseIpv4(hostname)) return null;
  const labels = hostname.replace(/\.$/, "").split(".");
  if (labels.some((label) => label === "")) return "the host name has an empty label (repeated dots)";
  if (labels.length < 2) return "a host name without a domain (no dot) is an internal name";
  return null;
}

/**
 * Decides on the host as written. URL parsing has already turned every IPv4 spelling
 * (`2130706433`, `0x7f.1`, `127.1`, `127.0.0.1.`) into dotted quads and compressed IPv6.
 *
 * What this cannot see: a DNS name that resolves to a private address (`127.0.0.1.nip.io`, DNS
 * rebinding). A Worker has no resolver to ask before `fetch`, and asking one (DoH) would not bind
 * the answer `fetch` then uses. On Cloudflare this is contained by the platform (Workers egress
 * from Cloudflare's edge to the public Internet; there is no private network behind it to reach),
 * so the list here is defence in depth. A self-hosted workerd must add an egress firewall.
 */
export function isInternalHost(hostname: string): boolean {
  // A trailing dot is the same DNS name, fully qualified: `localhost.` is localhost.
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (
    host === "" ||
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal") ||
    host.endsWith(".home.arpa")
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

/** The eight 16-bit groups of a (URL-normalised, so hex-only) IPv6 address, or null. */
function parseIpv6(host: string): number[] | null {
  const halves = host.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.map((group) => Number.parseInt(group, 16));
}

const ipv4Of = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff];

/**
 * Only global unicast (2000::/3) is public. Forms that carry an IPv4 address (mapped,
 * compatible, SIIT-translated, NAT64, 6to4) are as internal as that address: `[::7f00:1]` and
 * `[64:ff9b::7f00:1]` reach 127.0.0.1 on hosts that route them.
 */
function isInternalIpv6(host: string): boolean {
  const g = parseIpv6(host);
  if (!g) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = ipv4Of(g6, g7);
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) {
    // Mapped (::ffff:0:0/96) and SIIT-translated (::ffff:0:0:0/96) are what their IPv4 is;
    // the rest of ::/64 (unspecified, loopback, deprecated IPv4-compatible) is never public.
    const mapped = (g4 === 0 && g5 === 0xffff) || (g4 === 0xffff && g5 === 0);
    return mapped ? isInternalIpv4(embedded) : true;
  }
  // NAT64, well-known (64:ff9b::/96) and local-use (64:ff9b:1::/48) prefixes.
  if (g0 === 0x64 && g1 === 0xff9b) return g2 === 1 || isInternalIpv4(embedded);
  if ((g0 & 0xe000) !== 0x2000) return true; // outside global unicast: ULA, link-local, multicast...
  if (g0 === 0x2002) return isInternalIpv4(ipv4Of(g1, g2)); // 6to4
  if (g0 === 0x2001 && g1 === 0) return true; // Teredo: the IPv4 inside is obfuscated
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  return false;
}
