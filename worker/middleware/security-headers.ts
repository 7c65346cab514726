import { secureHeaders } from "hono/secure-headers";

/**
 * Two years, subdomains included; the same value as `dashboard/public/_headers`. Sent on plain
 * http too (local development): browsers ignore it there (RFC 6797 §8.1).
 */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * Headers for every response the Worker itself produces (API, health, CI endpoints). The static
 * dashboard gets its own from `dashboard/public/_headers`.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: "same-origin",
    referrerPolicy: "strict-origin-when-cross-origin",
    strictTransportSecurity: STRICT_TRANSPORT_SECURITY,
    xFrameOptions: "DENY",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
