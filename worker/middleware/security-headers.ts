import { secureHeaders } from "hono/secure-headers";

/**
 * Headers for every response the Worker itself produces (API, health, metrics). The static
 * dashboard gets its own from `dashboard/public/_headers`.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    crossOriginResourcePolicy: "same-origin",
    referrerPolicy: "strict-origin-when-cross-origin",
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    xFrameOptions: "DENY",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
