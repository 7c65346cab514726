// The auth API's shapes the dashboard reads (worker/features/auth/routes.ts). The client that
// fetches them is `dashboard/lib/api-client.ts`.

export interface User {
  id: string;
  email: string;
  name: string;
  locale: string;
  twoFactorEnabled: boolean;
  hasPassword: boolean;
  linkedProviders: string[];
}

export type LoginAnswer = { twoFactorRequired: false; user: User } | { twoFactorRequired: true };

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ipAddress: string | null;
  current: boolean;
}

export interface TokenInfo {
  id: string;
  name: string;
  displayPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesRemaining: number;
}

export interface TwoFactorSetup {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}
